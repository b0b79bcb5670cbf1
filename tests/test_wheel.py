"""A wheel built from the repo, installed without -e, carries every kata and grades it."""
import json
import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from harness import catalog
from tests.helpers import REPO

SCRIPT = """
import json, sys
import harness
from harness import catalog
from harness.runner import grade_kata
out = {"harness": harness.__file__, "results": {}}
for kata in catalog.all_katas():
    r = grade_kata(kata, kata.solution_path, speed=False, timeout=120)
    out["results"][kata.name] = [r.status, str(kata.solution_path)]
print(json.dumps(out))
"""


@pytest.fixture(scope="module")
def installed(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("wheel")
    dist, target = tmp / "dist", tmp / "site"
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q", "-w", str(dist),
                    str(REPO)], check=True, capture_output=True, text=True)
    wheel = next(dist.glob("*.whl"))
    subprocess.run([sys.executable, "-m", "pip", "install", "--no-deps", "-q", "--target", str(target), str(wheel)],
                   check=True, capture_output=True, text=True)
    # The installed copy first on the path, run from an unrelated folder: nothing may come from the repo.
    env = dict(os.environ, PYTHONPATH=str(target), KATA_HOME=str(tmp / "ws"))
    return wheel, target, env, tmp


def test_wheel_carries_katas_and_references(installed):
    wheel, _, _, _ = installed
    names = zipfile.ZipFile(wheel).namelist()
    for kata in catalog.all_katas():
        for role in ("kata.toml", "statement.md", "stub.py", "grader.py", "notes.md"):
            assert f"harness/_katas/{kata.name}/{role}" in names
        assert f"harness/_solutions/{kata.name}.py" in names
    assert not any("__pycache__" in n or n.startswith("tests/") for n in names)


def test_installed_wheel_lists_and_grades_every_kata(installed):
    _, target, env, tmp = installed
    listed = subprocess.run([sys.executable, "-m", "harness", "list", "--json"], env=env, cwd=tmp,
                            capture_output=True, text=True, check=True)
    assert {r["name"] for r in json.loads(listed.stdout)} == {k.name for k in catalog.all_katas()}
    run = subprocess.run([sys.executable, "-c", SCRIPT], env=env, cwd=tmp, capture_output=True, text=True,
                         timeout=1200)
    assert run.returncode == 0, run.stderr
    data = json.loads(run.stdout)
    assert Path(data["harness"]).is_relative_to(target)
    for name, (status, solution) in data["results"].items():
        assert status == "passed", (name, status)
        assert Path(solution).is_relative_to(target)
