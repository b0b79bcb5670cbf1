"""Input the CLI must refuse (issue 9, section 4): exit 2, one clear line, no traceback,
nothing written. And Ctrl-C during a check inside a mock (section 2): the check stops,
nothing is recorded, the mock goes on."""
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

from harness import cli, runner as grading
from tests.helpers import REPO, SOLUTIONS

clirunner = CliRunner()
INTERRUPTED = "Interrupted: the check was stopped and nothing was recorded."


@pytest.fixture(autouse=True)
def no_warm_grader(monkeypatch):
    """The interactive mock and watch start a warm grader that outlives the command by 15 idle
    minutes: tests grade cold and leave no process behind."""
    monkeypatch.setattr(cli, "_warm_up", lambda ws: None)


def kata(*args, input=None):
    return clirunner.invoke(cli.app, list(args), input=input)


def refused(result, *words):
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.output and result.exception is None or isinstance(result.exception, SystemExit)
    text = " ".join(result.output.split())
    assert text.startswith("error:") and text.count("error:") == 1, text
    for word in words:
        assert word in text, text


def written(home):
    """What a command left behind: mock folders and events."""
    db = home / ".kata" / "progress.db"
    n = sqlite3.connect(db).execute("SELECT COUNT(*) FROM events").fetchone()[0] if db.exists() else 0
    mocks = sorted(p.name for p in (home / "mocks").iterdir()) if (home / "mocks").exists() else []
    return n, mocks


@pytest.fixture
def attempt(kata_home):
    kata("start", "softmax")
    (kata_home / "softmax.py").write_text((SOLUTIONS / "softmax.py").read_text())
    return kata_home / "softmax.py"


@pytest.mark.parametrize("value", ["nan", "inf", "-inf", "1e308", "1e-9", "0", "-3"])
def test_check_refuses_a_timeout_that_is_no_time_limit(kata_home, attempt, value):
    before = written(kata_home)
    refused(kata("check", "softmax", "--timeout", value), "--timeout")
    assert written(kata_home) == before


@pytest.mark.parametrize("value", ["abc", "-1", "1.5"])
def test_a_bad_memory_cap_is_refused(kata_home, attempt, monkeypatch, value):
    monkeypatch.setenv("KATA_MEMORY_MB", value)
    before = written(kata_home)
    refused(kata("check", "softmax"), "KATA_MEMORY_MB", repr(value))
    assert written(kata_home) == before


@pytest.mark.parametrize("value", ["-1", "0", "0.001", "nan", "inf"])
def test_watch_refuses_an_interval_below_the_floor(kata_home, attempt, value):
    refused(kata("watch", "softmax", "--interval", value), "--interval", "0.1")


@pytest.mark.parametrize("args, words", [
    (["--minutes", "nan"], ["--minutes"]),
    (["--minutes", "inf"], ["--minutes"]),
    (["--minutes", "0"], ["--minutes"]),
    (["--count", "0"], ["--count"]),
    (["--seed", str(2**64)], ["--seed"]),
    (["--seed", str(-2**63 - 1)], ["--seed"]),
])
def test_mock_start_refuses_bad_options_and_leaves_no_folder(kata_home, args, words):
    before = written(kata_home)
    refused(kata("mock", "start", "--json", *args), *words)
    assert written(kata_home) == before
    assert json.loads(kata("mock", "status", "--json").output) == {"active": False}


def test_the_largest_seed_sqlite_holds_is_accepted(kata_home):
    info = json.loads(kata("mock", "start", "--count", "1", "--seed", str(2**63 - 1), "--json").output)
    assert len(info["katas"]) == 1 and info["seconds_left"] > 44 * 60


def test_history_of_a_mock_beyond_sqlite_integers_is_a_clear_error(kata_home):
    refused(kata("history", str(2**64)), "no finished mock")
    refused(kata("history", "0"), "no finished mock")


def test_a_count_above_the_katas_available_says_what_happened(kata_home):
    result = kata("mock", "start", "--tag", "python", "--count", "1000", "--json")
    assert result.exit_code == 0
    n = len(json.loads(result.stdout)["katas"])
    assert f"only {n} katas match, so the mock has {n}, not 1000" in result.stderr


def test_next_refuses_a_limit_below_one(kata_home):
    refused(kata("next", "--limit", "0"), "--limit")


def _fifo(tmp_path):
    path = tmp_path / "fifo.py"
    os.mkfifo(path)
    return path


def _device_link(tmp_path):
    path = tmp_path / "zero.py"
    path.symlink_to("/dev/zero")
    return path


@pytest.mark.parametrize("make, words", [
    (_device_link, ["not a regular file"]),
    (_fifo, ["not a regular file"]),
    (lambda tmp: tmp, ["is a folder"]),
])
def test_a_file_that_is_not_a_regular_file_is_refused_before_grading(kata_home, tmp_path, make, words):
    path = make(tmp_path)
    started = time.monotonic()
    refused(kata("check", "softmax", "--file", str(path)), *words)
    refused(kata("watch", "softmax", "--file", str(path)), *words)
    assert time.monotonic() - started < 10  # nothing was read or graded


def test_a_workspace_path_that_is_not_utf8_is_refused(tmp_path, monkeypatch):
    home = os.fsdecode(bytes(tmp_path) + b"/ws-\xff")
    monkeypatch.setenv("KATA_HOME", home)
    for args in (["mock", "start"], ["list"], ["start", "softmax"]):
        refused(kata(*args), "not valid UTF-8")
    assert not os.path.exists(home)


def test_kata_home_that_is_a_file_is_refused(tmp_path, monkeypatch):
    home = tmp_path / "a-file"
    home.write_text("not a folder")
    monkeypatch.setenv("KATA_HOME", str(home))
    refused(kata("list"), str(home))
    assert home.read_text() == "not a folder"


# --------------------------------------------------------------------------- Ctrl-C inside a mock
def _interrupted(*args, **kwargs):
    raise grading.GradingInterrupted()


def test_ctrl_c_during_a_check_at_the_mock_prompt_keeps_the_prompt(kata_home, monkeypatch):
    monkeypatch.setattr(grading, "grade_kata", _interrupted)
    result = kata("mock", "--count", "1", "--seed", "1", input="check\nstatus\nquit\n")
    assert result.exit_code == 0, result.output
    out = result.output
    assert INTERRUPTED in out and "Traceback" not in out
    assert out.index(INTERRUPTED) < out.index("mock interview #1") < out.index("Left the mock")  # the prompt went on
    db = sqlite3.connect(kata_home / ".kata" / "progress.db")
    assert db.execute("SELECT COUNT(*) FROM events WHERE kind IN ('check', 'pass')").fetchone()[0] == 0


def test_ctrl_c_during_finish_at_the_mock_prompt_keeps_the_mock(kata_home, monkeypatch):
    monkeypatch.setattr(grading, "grade_kata", _interrupted)
    result = kata("mock", "--count", "1", "--seed", "1", input="finish\nquit\n")
    assert result.exit_code == 0 and INTERRUPTED in result.output and "Left the mock" in result.output
    assert json.loads(kata("mock", "status", "--json").output)["active"] is True


def test_ctrl_c_during_mock_finish_records_nothing(kata_home, monkeypatch):
    info = json.loads(kata("mock", "start", "--tag", "numpy", "--count", "2", "--seed", "3", "--json").output)
    for name, path in info["files"].items():
        Path(path).write_text((SOLUTIONS / f"{name}.py").read_text())
    calls = []

    def second_interrupted(kata_, path, **kwargs):  # the first kata passes, Ctrl-C in the second
        calls.append(kata_.name)
        if len(calls) == 2:
            raise grading.GradingInterrupted()
        return real(kata_, path, **kwargs)

    real = grading.grade_kata
    monkeypatch.setattr(grading, "grade_kata", second_interrupted)
    result = kata("mock", "finish")
    assert result.exit_code == 130 and INTERRUPTED in result.output and "Traceback" not in result.output
    db = sqlite3.connect(kata_home / ".kata" / "progress.db")
    assert db.execute("SELECT COUNT(*) FROM events WHERE kind = 'pass'").fetchone()[0] == 0
    assert json.loads(kata("mock", "status", "--json").output)["active"] is True


def _looping(name: str, marker: Path) -> str:
    """The reference of ``name`` with an endless loop (touching ``marker``) at the top of its entry."""
    import ast

    from harness.catalog import find

    source = (SOLUTIONS / f"{name}.py").read_text()
    entry = next(node for node in ast.parse(source).body
                 if isinstance(node, ast.FunctionDef) and node.name == find(name).entry[0])
    lines = source.splitlines()
    first = entry.body[0].lineno - 1
    indent = lines[first][: len(lines[first]) - len(lines[first].lstrip())]
    loop = (f"{indent}import pathlib as _p, time as _t\n{indent}while True:\n"
            f"{indent}    _p.Path({str(marker)!r}).write_text('x')\n{indent}    _t.sleep(0.05)")
    return "\n".join(lines[:first] + [loop] + lines[first:]) + "\n"


def test_sigint_to_a_real_mock_finish_is_the_one_line_message(kata_home, tmp_path):
    info = json.loads(kata("mock", "start", "--tag", "numpy", "--count", "1", "--seed", "3", "--json").output)
    marker = tmp_path / "alive"
    name, path = next(iter(info["files"].items()))
    Path(path).write_text(_looping(name, marker))
    env = dict(os.environ, KATA_HOME=str(kata_home), PYTHONPATH=str(REPO))
    proc = subprocess.Popen([sys.executable, "-m", "harness", "mock", "finish"], env=env, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)
    deadline = time.time() + 120
    while not marker.exists() and time.time() < deadline and proc.poll() is None:
        time.sleep(0.1)
    assert marker.exists(), f"the attempt never ran: {proc.communicate()}"
    proc.send_signal(signal.SIGINT)
    out, err = proc.communicate(timeout=60)
    assert proc.returncode == 130, (out, err)
    assert INTERRUPTED in err and "Traceback" not in err + out
    assert json.loads(kata("mock", "status", "--json").output)["active"] is True
