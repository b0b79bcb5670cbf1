"""`kata watch`: one current report on a cleared screen, re-checked when file-system events say
the file was saved (a fake event source here; one real watchfiles event), polling as the fallback."""
import io
import os
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from rich.console import Console
from typer.testing import CliRunner

from harness import cli, watch
from harness.watch import fresh_screen, saves, watch_loop
from tests.helpers import SOLUTIONS

REPO = Path(__file__).resolve().parents[1]
CLEAR = "\x1b[2J"


@pytest.fixture(autouse=True)
def no_warm_grader(monkeypatch):
    monkeypatch.setattr(cli, "_warm_up", lambda ws: None)


def terminal():
    return Console(file=io.StringIO(), force_terminal=True, width=100)


def test_a_wakeup_rechecks_only_a_file_that_changed(tmp_path):
    f = tmp_path / "a.py"
    f.write_text("x = 1\n")
    seen = []

    def events():
        yield  # an event about the file with nothing changed (e.g. its folder was listed)
        f.write_text("x = 22\n")
        yield
        f.unlink()  # half-way through an editor's rename: nothing to check
        yield
        f.write_text("x = 333\n")
        yield

    watch_loop(f, lambda: seen.append(f.read_text()), wakeups=events())
    assert seen == ["x = 1\n", "x = 22\n", "x = 333\n"]


def test_each_run_starts_on_a_cleared_screen_under_the_header():
    console = terminal()
    header = ["Watching a.py"]
    runs = iter(["first report", "second report"])
    rerun = fresh_screen(console, header, lambda: console.print(next(runs)))
    rerun()
    header.append("a note added later")
    rerun()
    text = console.file.getvalue()
    assert text.count(CLEAR) == 2
    last_screen = text[text.rindex(CLEAR):]
    assert "first report" not in last_screen
    assert last_screen.index("Watching a.py") < last_screen.index("a note added later") < \
        last_screen.index("second report")


def test_a_pipe_keeps_every_report_and_no_control_codes():
    console = Console(file=io.StringIO(), force_terminal=False, width=100)
    rerun = fresh_screen(console, ["Watching a.py"], lambda: console.print("report"))
    rerun()
    rerun()
    text = console.file.getvalue()
    assert "\x1b[" not in text and text.count("report") == 2


def test_kata_watch_rechecks_on_save_events_on_a_cleared_screen(kata_home, tmp_path, monkeypatch):
    attempt = tmp_path / "softmax_try.py"
    attempt.write_text("def softmax(x, axis=-1):\n    return x\n")
    console = terminal()
    monkeypatch.setattr(cli, "console", console)

    def fake_events(path, interval, notice):
        assert path == attempt.resolve()
        path.write_text((SOLUTIONS / "softmax.py").read_text())  # the candidate saves a fix
        yield
        raise KeyboardInterrupt  # then leaves

    def no_polling(*args, **kwargs):
        raise AssertionError("polled although file-system events were available")

    monkeypatch.setattr(watch, "saves", fake_events)
    monkeypatch.setattr(watch, "polls", no_polling)
    result = CliRunner().invoke(cli.app, ["watch", "softmax", "--file", str(attempt)])
    assert result.exit_code == 0, result.output
    text = console.file.getvalue()
    assert text.count(CLEAR) == 2
    first, second = text.split(CLEAR)[1:]
    assert "Watching" in first and "✗" in first and "passed" not in first
    assert "Watching" in second and "softmax passed" in second and "✗" not in second
    assert "Stopped watching" in second


def test_kata_watch_poll_looks_at_the_file_instead_of_events(kata_home, tmp_path, monkeypatch):
    attempt = tmp_path / "softmax_try.py"
    attempt.write_text((SOLUTIONS / "softmax.py").read_text())
    looks = []

    def fake_polls(interval, sleep=None, rounds=None):
        looks.append(interval)
        raise KeyboardInterrupt
        yield

    monkeypatch.setattr(watch, "saves", lambda *a: pytest.fail("--poll used file-system events"))
    monkeypatch.setattr(watch, "polls", fake_polls)
    result = CliRunner().invoke(cli.app, ["watch", "softmax", "--file", str(attempt), "--poll", "--interval", "2"])
    assert result.exit_code == 0, result.output
    assert looks == [2.0] and "passed" in result.output


def test_a_real_save_wakes_the_watcher(tmp_path, monkeypatch):
    pytest.importorskip("watchfiles")
    monkeypatch.setattr(watch, "FIRST_LOOK_SECONDS", 120.0)  # only an event can wake it in time
    f = tmp_path / "a.py"
    f.write_text("x = 1\n")
    notes = []
    wakeups = saves(f, 0.5, notes.append)
    woke = threading.Event()

    def wait():
        next(wakeups)
        woke.set()

    threading.Thread(target=wait, daemon=True).start()
    # The watcher starts inside next(); save until it notices (the first save may come too early).
    for _ in range(40):
        f.write_text(f.read_text() + "x += 1\n")
        if woke.wait(0.5):
            break
    assert woke.is_set() and notes == []
    wakeups.close()


def test_without_watchfiles_it_polls_and_says_so(tmp_path, monkeypatch):
    monkeypatch.setitem(sys.modules, "watchfiles", None)  # import fails
    notes = []
    wakeups = saves(tmp_path / "a.py", 0.01, notes.append)
    next(wakeups)
    next(wakeups)
    assert notes and "every 0.01 s" in notes[0]


def test_a_failing_watcher_falls_back_to_polling(tmp_path):
    pytest.importorskip("watchfiles")
    notes = []
    wakeups = saves(tmp_path / "no-such-folder" / "a.py", 0.01, notes.append)
    next(wakeups)
    assert notes and notes[0].startswith("file-system events stopped")


def test_kata_list_imports_no_prompt_library_no_watcher_no_numerics(kata_home):
    code = ("import sys, runpy\nsys.argv = ['kata', 'list']\n"
            "try:\n    runpy.run_module('harness', run_name='__main__')\nexcept SystemExit:\n    pass\n"
            "heavy = [m for m in ('numpy', 'torch', 'prompt_toolkit', 'watchfiles') if m in sys.modules]\n"
            "print('HEAVY', heavy, file=sys.stderr)\n")
    env = dict(os.environ, KATA_HOME=str(kata_home), PYTHONPATH=str(REPO))
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True,
                         stdin=subprocess.DEVNULL, timeout=60)
    assert "HEAVY []" in out.stderr, out.stderr
