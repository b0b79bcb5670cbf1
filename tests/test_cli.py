"""CLI flows through Typer's test runner, and a few through a real subprocess."""
import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from typer.testing import CliRunner

from harness import catalog
from harness.cli import app
from tests.helpers import REPO, SOLUTIONS

runner = CliRunner()
SOFTMAX_OK = (SOLUTIONS / "softmax.py").read_text()


def kata(*args, input=None):
    return runner.invoke(app, list(args), input=input)


def test_list_json_shows_every_kata_as_new(kata_home):
    result = kata("list", "--json")
    assert result.exit_code == 0, result.output
    rows = json.loads(result.output)
    assert {r["name"] for r in rows} == {k.name for k in catalog.all_katas()}
    assert all(r["status"] == "new" and r["best_seconds"] is None for r in rows)
    assert {"name", "title", "difficulty", "tags", "status", "best_seconds"} <= set(rows[0])


def test_list_filters_by_tag_and_difficulty(kata_home):
    rows = json.loads(kata("list", "--tag", "torch", "--json").output)
    assert rows and all("torch" in r["tags"] for r in rows)
    rows = json.loads(kata("list", "--difficulty", "easy", "--json").output)
    assert rows and all(r["difficulty"] == "easy" for r in rows)
    bad = kata("list", "--difficulty", "impossible")
    assert bad.exit_code == 2 and "easy" in bad.output


def test_show_renders_the_statement(kata_home):
    result = kata("show", "softmax")
    assert result.exit_code == 0
    assert "Numerically stable softmax" in result.output and "What is graded" in result.output


def test_unknown_kata_suggests_the_closest(kata_home):
    for command in (["show", "sofmax"], ["start", "sofmax"], ["check", "sofmax"], ["hint", "sofmax"]):
        result = kata(*command)
        assert result.exit_code == 2
        assert "no kata called `sofmax`" in result.output and "softmax" in result.output.split("mean")[1]


def test_start_creates_the_stub_and_never_overwrites(kata_home):
    result = kata("start", "softmax")
    assert result.exit_code == 0, result.output
    attempt = kata_home / "softmax.py"
    assert attempt.read_text() == catalog.find("softmax").stub_path.read_text()
    assert str(attempt) in result.output.replace("\n", "")
    attempt.write_text("# my work\n")
    again = kata("start", "softmax")
    assert again.exit_code == 0 and "Resuming" in again.output
    assert attempt.read_text() == "# my work\n"


def test_start_fresh_moves_the_attempt_to_a_backup(kata_home):
    kata("start", "softmax")
    attempt = kata_home / "softmax.py"
    attempt.write_text("# first try\n")
    result = kata("start", "softmax", "--fresh")
    assert result.exit_code == 0
    backups = list((kata_home / ".kata" / "backups").glob("softmax-*.py"))
    assert [b.read_text() for b in backups] == ["# first try\n"]
    assert attempt.read_text() == catalog.find("softmax").stub_path.read_text()
    attempt.write_text("# second try\n")
    kata("start", "softmax", "--fresh")  # a second backup in the same second gets its own name
    backups = sorted(b.read_text() for b in (kata_home / ".kata" / "backups").glob("softmax-*.py"))
    assert backups == ["# first try\n", "# second try\n"]


def test_aliases_work_everywhere(kata_home):
    assert kata("start", "fisher_yates").exit_code == 0
    assert (kata_home / "shuffle.py").exists()
    assert kata("show", "bce").exit_code == 0
    assert kata("hint", "pi").exit_code == 0


def test_check_without_attempt_is_a_usage_error(kata_home):
    result = kata("check", "softmax")
    assert result.exit_code == 2
    assert "kata start softmax" in result.output
    missing = kata("check", "softmax", "--file", str(kata_home / "nope.py"))
    assert missing.exit_code == 2 and "nope.py" in missing.output


def test_start_fail_fix_pass_flow(kata_home):
    kata("start", "softmax")
    attempt = kata_home / "softmax.py"
    stub = kata("check", "softmax")
    assert stub.exit_code == 1 and "not implemented yet" in stub.output.lower()
    attempt.write_text("import numpy as np\n\ndef softmax(x, axis=-1):\n    e = np.exp(x - np.max(x))\n"
                       "    return e / e.sum(axis=axis, keepdims=True)\n")
    wrong = kata("check", "softmax")
    assert wrong.exit_code == 1
    assert "✗" in wrong.output and "expected" in wrong.output and "input" in wrong.output
    attempt.write_text(SOFTMAX_OK)
    ok = kata("check", "softmax")
    assert ok.exit_code == 0, ok.output
    text = " ".join(ok.output.split())
    assert "softmax passed" in text and "speed on a 2000 × 1000 array" in text and "the reference" in text
    rows = {r["name"]: r for r in json.loads(kata("list", "--json").output)}
    assert rows["softmax"]["status"] == "passed" and rows["softmax"]["best_seconds"] is not None


def test_check_json_has_the_documented_fields(kata_home, tmp_path):
    wrong = tmp_path / "w.py"
    wrong.write_text("import numpy as np\ndef softmax(x, axis=-1):\n    return np.exp(x) / np.exp(x).sum(axis=axis, keepdims=True)\n")
    result = kata("check", "softmax", "--file", str(wrong), "--json", "--seed", "7")
    assert result.exit_code == 1
    data = json.loads(result.output)
    assert {"kata", "passed", "checks", "failing_case", "seed", "elapsed", "speed_ratio"} <= set(data)
    assert data["kata"] == "softmax" and data["passed"] is False and data["seed"] == 7
    assert all({"name", "passed", "message"} <= set(c) for c in data["checks"])
    assert data["failing_case"]["check"] == "logits of ±1e4 do not overflow"
    assert "nan" in data["failing_case"]["diff"]
    ok = tmp_path / "ok.py"
    ok.write_text(SOFTMAX_OK)
    passed = json.loads(kata("check", "softmax", "--file", str(ok), "--json").output)
    assert passed["passed"] is True and passed["speed_ratio"] > 0 and passed["failing_case"] is None


def test_same_file_same_verdict(kata_home, tmp_path):
    wrong = tmp_path / "w.py"
    wrong.write_text("import numpy as np\ndef softmax(x, axis=-1):\n    e = np.exp(x - x.max(axis=axis))\n"
                     "    return e / e.sum(axis=axis)\n")
    first = json.loads(kata("check", "softmax", "--file", str(wrong), "--json").output)
    second = json.loads(kata("check", "softmax", "--file", str(wrong), "--json").output)
    assert first["failing_case"] == second["failing_case"]


@pytest.mark.parametrize("body, words", [
    ("def softmax(x, axis=-1)\n    return x\n", ["syntax error", "line 1"]),
    ("def softmax(x):\n    return x\n", ["wrong signature", "axis"]),
    ("def soft_max(x, axis=-1):\n    return x\n", ["defines no function `softmax`"]),
    ("import sys\ndef softmax(x, axis=-1):\n    sys.exit(3)\n", ["sys.exit(3)"]),
    ("import os\ndef softmax(x, axis=-1):\n    os._exit(4)\n", ["exited with code 4"]),
    ("raise RuntimeError('boom at import')\n", ["failed while being imported", "boom at import", "line 1"]),
    ("def softmax(x, axis=-1):\n    return [1, 2]\n", ["expected a numpy array, got list"]),
    ("def softmax(x, axis=-1):\n    while True:\n        print('spam' * 100)\n", ["stopped after 2 s"]),
])
def test_broken_attempts_get_a_clear_verdict(kata_home, tmp_path, body, words):
    attempt = tmp_path / "attempt.py"
    attempt.write_text(body)
    result = kata("check", "softmax", "--file", str(attempt), "--timeout", "2")
    assert result.exit_code == 1, result.output
    text = " ".join(result.output.split())
    for word in words:
        assert word in text, text
    assert "Traceback" not in result.output


def test_print_flood_is_bounded(kata_home, tmp_path):
    attempt = tmp_path / "attempt.py"
    attempt.write_text(SOFTMAX_OK.replace("    shifted =", "    print('x' * 100000)\n    shifted ="))
    result = kata("check", "softmax", "--file", str(attempt), "--json")
    data = json.loads(result.output)
    assert data["passed"] is True
    assert data["output_chars"] > 10**6 and len(data["output"]) <= 4000


def test_hints_unlock_one_at_a_time(kata_home):
    hints = catalog.find("softmax").hints
    first = kata("hint", "softmax")
    assert "Hint 1/" in first.output and "Hint 2/" not in first.output
    second = kata("hint", "softmax")
    assert "Hint 2/" in second.output
    for _ in range(len(hints)):
        last = kata("hint", "softmax")
    assert "no more hints for softmax" in last.output and f"Hint {len(hints)}/" in last.output


def test_reveal_asks_until_passed(kata_home):
    refused = kata("reveal", "softmax")  # the test runner's stdin is not a terminal
    assert refused.exit_code == 2 and "--yes" in refused.output
    shown = kata("reveal", "softmax", "--yes")
    assert shown.exit_code == 0 and "np.exp" in shown.output and "Follow-ups" in shown.output
    rows = {r["name"]: r for r in json.loads(kata("list", "--json").output)}
    assert rows["softmax"]["status"] == "revealed"


def test_corrupt_progress_file_is_moved_aside(kata_home):
    state = kata_home / ".kata"
    state.mkdir(parents=True)
    (state / "progress.db").write_bytes(b"this is not a database" * 100)
    result = kata("list", "--json")
    assert result.exit_code == 0
    aside = list(state.glob("progress.db.unreadable-*"))
    assert len(aside) == 1 and aside[0].read_bytes().startswith(b"this is not")
    assert kata("hint", "softmax").exit_code == 0  # the new file works


def test_foreign_sqlite_file_is_moved_aside(kata_home):
    state = kata_home / ".kata"
    state.mkdir(parents=True)
    conn = sqlite3.connect(state / "progress.db")
    conn.execute("CREATE TABLE invoices (id INTEGER)")
    conn.commit()
    conn.close()
    assert kata("list").exit_code == 0
    aside = list(state.glob("progress.db.unreadable-*"))
    assert len(aside) == 1
    tables = sqlite3.connect(aside[0]).execute("SELECT name FROM sqlite_master").fetchall()
    assert ("invoices",) in tables


def _run_cli(args, env_home, **kwargs):
    env = dict(os.environ, KATA_HOME=str(env_home), PYTHONPATH=str(REPO))
    return subprocess.Popen([sys.executable, "-m", "harness", *args], env=env, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, **kwargs)


def test_ctrl_c_stops_the_child_and_records_nothing(kata_home, tmp_path):
    attempt = tmp_path / "loop.py"
    marker = tmp_path / "alive"
    attempt.write_text(f"import pathlib, time\ndef softmax(x, axis=-1):\n    while True:\n"
                       f"        pathlib.Path({str(marker)!r}).write_text(str(time.time()))\n        time.sleep(0.05)\n")
    proc = _run_cli(["check", "softmax", "--file", str(attempt), "--timeout", "60"], kata_home)
    deadline = time.time() + 30
    while not marker.exists() and time.time() < deadline:
        time.sleep(0.1)
    assert marker.exists(), "the attempt never ran"
    proc.send_signal(signal.SIGINT)
    out, err = proc.communicate(timeout=20)
    assert proc.returncode == 130, (out, err)
    assert "Interrupted" in err and "Traceback" not in err
    stamp = marker.read_text()
    time.sleep(0.5)
    assert marker.read_text() == stamp, "the child kept running after Ctrl-C"
    db = sqlite3.connect(kata_home / ".kata" / "progress.db")
    assert db.execute("SELECT COUNT(*) FROM events WHERE kind='check'").fetchone()[0] == 0




@pytest.mark.parametrize("args", [["list"], ["show", "mha"], ["start", "gqa"], ["hint", "rope"],
                                  ["reveal", "lora", "--yes"], ["list", "--json"]])
def test_commands_without_numerics_import_neither_numpy_nor_torch(kata_home, args):
    code = ("import sys, runpy\nsys.argv = ['kata', *sys.argv[1:]]\n"
            "try:\n    runpy.run_module('harness', run_name='__main__')\nexcept SystemExit:\n    pass\n"
            "print('MODULES', 'numpy' in sys.modules, 'torch' in sys.modules, file=sys.stderr)\n")
    env = dict(os.environ, KATA_HOME=str(kata_home), PYTHONPATH=str(REPO))
    out = subprocess.run([sys.executable, "-c", code, *args], env=env, capture_output=True, text=True,
                         stdin=subprocess.DEVNULL, timeout=60)
    assert "MODULES False False" in out.stderr, out.stderr


def test_checking_a_numpy_kata_imports_no_torch(kata_home, tmp_path):
    attempt = tmp_path / "probe.py"
    attempt.write_text("import sys\n" + SOFTMAX_OK.replace(
        "    shifted =", "    assert 'torch' not in sys.modules, 'torch was imported'\n    shifted ="))
    result = kata("check", "softmax", "--file", str(attempt))
    assert result.exit_code == 0, result.output


def test_python_api_returns_the_json_fields(tmp_path):
    import harness

    ok = tmp_path / "ok.py"
    ok.write_text(SOFTMAX_OK)
    result = harness.grade("softmax", ok)
    assert result.passed and result.status == "passed"
    data = result.to_json()
    assert {"kata", "passed", "checks", "failing_case", "seed", "elapsed", "speed_ratio"} <= set(data)
    with pytest.raises(LookupError):
        harness.grade("no-such-kata", ok)


def test_runaway_allocation_is_a_memory_error_not_a_dead_machine(kata_home, tmp_path, monkeypatch):
    monkeypatch.setenv("KATA_MEMORY_MB", "1500")  # the child's address-space cap
    attempt = tmp_path / "hog.py"
    attempt.write_text("import numpy as np\ndef softmax(x, axis=-1):\n    return np.ones(3 * 10**8) + x.sum()\n")
    result = kata("check", "softmax", "--file", str(attempt))
    assert result.exit_code == 1
    text = " ".join(result.output.split())
    assert "MemoryError" in text and "line 3" in text
    ok = tmp_path / "ok.py"
    ok.write_text(SOFTMAX_OK)
    assert kata("check", "softmax", "--file", str(ok)).exit_code == 0  # the cap leaves room for real work
