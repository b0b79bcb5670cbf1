"""A cold `kata check` starts grading before its own imports (harness/prelaunch.py) and the speed
report stays within its budget (harness/engine/timing.py), without changing any verdict."""
import json
import os
import subprocess
import sys
import time
import types
from pathlib import Path

import pytest

from harness import catalog, prelaunch, runner
from harness.engine import Case, Grader
from harness.engine.grader import Context
from harness.engine import timing
from tests.helpers import REPO, SOLUTIONS


@pytest.mark.parametrize("argv, expected", [
    (["check", "softmax"], {"kata": "softmax"}),
    (["check", "softmax", "--file", "a.py", "--seed", "3", "--json", "--timeout", "2.5", "-w", "ws"],
     {"kata": "softmax", "file": "a.py", "seed": 3, "timeout": 2.5, "workspace": "ws"}),
    (["check", "--file=a.py", "--workspace=ws", "softmax"], {"kata": "softmax", "file": "a.py", "workspace": "ws"}),
])
def test_a_plain_check_command_line_is_understood(argv, expected):
    parsed = prelaunch.parse_check(argv)
    assert parsed == {"kata": None, "file": None, "seed": None, "timeout": None, "workspace": None, **expected}


@pytest.mark.parametrize("argv", [
    [], ["list"], ["check"], ["check", "softmax", "--help"], ["check", "softmax", "--verbose"],
    ["check", "softmax", "gqa"], ["check", "softmax", "--seed", "x"], ["check", "softmax", "--timeout", "0"],
    ["check", "softmax", "--timeout", "nan"], ["check", "softmax", "--file"], ["watch", "softmax"],
])
def test_anything_unusual_starts_nothing_early(argv):
    assert prelaunch.parse_check(argv) is None
    assert prelaunch.start_check_early(argv) is False


def test_a_missing_attempt_or_unknown_kata_starts_nothing(tmp_path):
    assert not prelaunch.start_check_early(["check", "softmax", "--file", str(tmp_path / "none.py")])
    assert not prelaunch.start_check_early(["check", "softmaxx", "--file", str(SOLUTIONS / "softmax.py")])
    assert runner._early is None


def test_the_same_grading_adopts_the_early_run(monkeypatch):
    k = catalog.find("softmax")
    runner.prelaunch(k, SOLUTIONS / "softmax.py", seed=4, speed=False)
    early = runner._early
    assert early is not None

    def no_second_launch(*args, **kwargs):
        raise AssertionError("the early run should have been adopted")

    monkeypatch.setattr(runner, "_launch", no_second_launch)
    result = runner.grade_kata(k, SOLUTIONS / "softmax.py", seed=4, speed=False)
    assert result.passed and result.seed == 4
    assert runner._early is None and not Path(early["tmp"]).exists()


def test_another_grading_stops_the_early_run_and_removes_its_folder(tmp_path):
    k = catalog.find("softmax")
    slow = tmp_path / "slow.py"
    slow.write_text("import time\ntime.sleep(60)\n")
    runner.prelaunch(k, slow, speed=False, timeout=60)
    early = runner._early
    result = runner.grade_kata(k, SOLUTIONS / "softmax.py", speed=False)  # e.g. the mock's copy instead
    assert result.passed
    assert not Path(early["tmp"]).exists()
    early["run"].wait()  # returns at once: the run was killed
    assert early["run"].returncode != 0 or early["run"].timed_out


def test_the_time_limit_counts_from_the_early_launch(tmp_path):
    k = catalog.find("softmax")
    slow = tmp_path / "slow.py"
    slow.write_text((SOLUTIONS / "softmax.py").read_text() + "\nimport time\ntime.sleep(60)\n")
    runner.prelaunch(k, slow, speed=False, timeout=3, warm_socket=Path("/nonexistent/grader.sock"))
    time.sleep(2)  # the CLI importing its own modules
    started = time.monotonic()
    result = runner.grade_kata(k, slow, speed=False, timeout=3)
    assert result.status == "timeout"
    assert time.monotonic() - started < 2.5


def test_kata_check_as_a_command_grades_through_the_early_run(tmp_path):
    attempt = tmp_path / "softmax.py"
    attempt.write_text((SOLUTIONS / "softmax.py").read_text())
    temp = tmp_path / "temp"  # the grading's own temporary folders go here
    temp.mkdir()
    env = dict(os.environ, PYTHONPATH=str(REPO), KATA_HOME=str(tmp_path / "ws"), TMPDIR=str(temp))
    out = subprocess.run([sys.executable, "-m", "harness", "check", "softmax", "--file", str(attempt), "--json"],
                         env=env, capture_output=True, text=True, timeout=300)
    assert out.returncode == 0, out.stderr
    data = json.loads(out.stdout)
    assert data["passed"] and data["speed"]["rounds"] >= 1
    assert list(temp.iterdir()) == []  # nothing left behind


def test_a_usage_error_after_an_early_start_leaves_nothing_running(tmp_path):
    attempt = tmp_path / "softmax.py"
    attempt.write_text("import time\ntime.sleep(60)\n")
    temp = tmp_path / "temp"
    temp.mkdir()
    env = dict(os.environ, PYTHONPATH=str(REPO), KATA_HOME=str(tmp_path / "ws"), TMPDIR=str(temp))
    # A valid command line for the early start, refused by the CLI: the workspace is a file.
    (tmp_path / "ws").write_text("not a folder")
    out = subprocess.run([sys.executable, "-m", "harness", "check", "softmax", "--file", str(attempt)],
                         env=env, capture_output=True, text=True, timeout=120)
    assert out.returncode != 0
    ps = subprocess.run(["pgrep", "-f", str(attempt)], capture_output=True, text=True)
    assert ps.stdout.strip() == "" and list(temp.iterdir()) == []


def _speed_grader(seconds_per_call: float):
    def spin(x):
        end = time.thread_time() + seconds_per_call
        while time.thread_time() < end:
            pass
        return x

    grader = Grader("f")
    grader.speed(lambda rng: Case(1), label="one call")
    impl = types.SimpleNamespace(f=spin)
    return grader, Context(grader, impl, impl, 0, "speed")


def test_a_fast_call_is_timed_a_few_rounds_within_the_budget():
    grader, ctx = _speed_grader(0.004)
    speed = timing.measure(grader, ctx, budget_s=0.05)
    assert 2 <= speed["rounds"] <= 6  # six rounds of two 4 ms calls fit in 50 ms, a seventh does not
    assert speed["ratio"] == pytest.approx(1.0, rel=0.5) and speed["label"] == "one call"


def test_the_reference_is_timed_without_its_isolation_wrapper():
    grader, ctx = _speed_grader(0.004)
    plain = ctx.ref.f
    ctx.ref = types.SimpleNamespace(f=lambda x: time.sleep(0.002) or plain(x))  # a wrapper's overhead
    calls = []
    speed = timing.measure(grader, ctx, {"f": lambda x: calls.append(x) or plain(x)}, budget_s=0.05)
    assert calls and speed["ratio"] == pytest.approx(1.0, rel=0.5)
    assert ctx.ref.f is not plain and ctx.ref.f.__name__ == "<lambda>"  # put back afterwards


def test_a_slow_call_is_timed_once_each_and_the_first_one_again():
    grader, ctx = _speed_grader(0.06)
    calls = []
    ctx.ref = types.SimpleNamespace(f=lambda x: calls.append("reference") or ctx.attempt.f(x))
    speed = timing.measure(grader, ctx, budget_s=0.05)
    assert speed["rounds"] == 1 and calls == ["reference", "reference"]
    assert speed["attempt_s"] >= 0.06 and speed["reference_s"] >= 0.06


@pytest.mark.parametrize("name", ["softmax", "SoftMax", "log-softmax", "log_softmax"])
def test_the_early_lookup_finds_the_catalogues_kata(name):
    assert prelaunch.find_one(name) == catalog.find(name)


def test_the_early_lookup_of_an_alias_or_a_path_is_the_catalogues():
    alias = next(a for k in catalog.all_katas() for a in k.aliases)
    assert prelaunch.find_one(alias) == catalog.find(alias)
    with pytest.raises(LookupError):
        prelaunch.find_one("../katas/softmax")
