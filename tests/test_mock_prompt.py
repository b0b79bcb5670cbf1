"""The interactive mock prompt on a terminal (prompt_toolkit): line editing, history, Tab,
`help`, the question before `finish`, the live countdown, and time running out at the prompt.
Keys go in through prompt_toolkit's pipe input, or a real pseudo-terminal for the whole command."""
import contextlib
import io
import json
import os
import re
import select
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from rich.console import Console
from typer.testing import CliRunner

pytest.importorskip("prompt_toolkit")
from prompt_toolkit.data_structures import Size  # noqa: E402
from prompt_toolkit.input import create_pipe_input  # noqa: E402
from prompt_toolkit.output import DummyOutput  # noqa: E402
from prompt_toolkit.output.vt100 import Vt100_Output  # noqa: E402

from harness import cli, mock as mocklib  # noqa: E402
from harness.mock_cli import HELP, LineReader, PromptReader, interactive, toolbar_text  # noqa: E402

REPO = Path(__file__).resolve().parents[1]
UP, LEFT, HOME, BACKSPACE, TAB, CPR_REPLY = "\x1b[A", "\x1b[D", "\x01", "\x7f", "\t", "\x1b[1;1R"
ANSI = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]")


def plenty():
    return 3600.0


@contextlib.contextmanager
def ctrl_c_after(keys, seconds, why):
    """A prompt that should give up by itself but does not is stopped by a Ctrl-C: the test
    fails instead of hanging."""
    watchdog = threading.Timer(seconds, lambda: keys.send_text("\x03"))
    watchdog.start()
    try:
        yield
    except KeyboardInterrupt:
        pytest.fail(why)
    finally:
        watchdog.cancel()


@pytest.fixture
def keys():
    with create_pipe_input() as pipe:
        yield pipe


@pytest.fixture
def reader(keys):
    return PromptReader(input=keys, output=DummyOutput())


def test_typos_are_fixed_with_backspace_arrows_and_home(keys, reader):
    keys.send_text("shwo" + BACKSPACE * 2 + "ow\r")
    assert reader.read("> ", plenty) == "show"
    keys.send_text("sow" + LEFT * 2 + "h\r")  # the cursor moves back into the word
    assert reader.read("> ", plenty) == "show"
    keys.send_text("int" + HOME + "h\r")  # Ctrl-A: to the start of the line
    assert reader.read("> ", plenty) == "hint"


def test_the_up_arrow_recalls_earlier_commands_instead_of_printing_escape_codes(keys, reader):
    for command in ("status", "hint"):
        keys.send_text(command + "\r")
        assert reader.read("> ", plenty) == command
    keys.send_text(UP + UP + "\r")
    assert reader.read("> ", plenty) == "status"
    keys.send_text(UP + "\r")
    assert reader.read("> ", plenty) == "status"  # the recalled line is the latest in the history now


def test_tab_completes_a_command(keys, reader):
    keys.send_text("fi" + TAB)

    def enter_once_completed():  # completion runs in the prompt's loop: press Enter after it
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            app = reader.commands.app
            if app.is_running and app.current_buffer.text == "finish":
                break
            time.sleep(0.02)
        keys.send_text("\r")

    threading.Thread(target=enter_once_completed, daemon=True).start()
    assert reader.read("> ", plenty) == "finish"


def test_ctrl_d_leaves_like_quit(keys, reader):
    keys.send_text("\x04")
    assert reader.read("> ", plenty) == "quit"


def test_time_running_out_at_the_prompt_gives_up_even_mid_word(keys, reader):
    keys.send_text("che")  # typed, never sent
    started = time.monotonic()
    with ctrl_c_after(keys, 20, "the prompt kept waiting after the time ran out"):
        assert reader.read("> ", lambda: 0.3 - (time.monotonic() - started)) is None
        assert reader.confirm("Finish?", lambda: 0.0) is False  # no time to answer: not finished
    assert time.monotonic() - started < 15


@pytest.mark.parametrize("answer, finished", [("y", True), ("YES", True), ("", False), ("n", False),
                                              ("finish", False)])
def test_the_finish_question_needs_a_yes(keys, reader, answer, finished):
    keys.send_text(answer + "\r")
    assert reader.confirm("Finish now?", plenty) is finished


def test_a_script_that_says_finish_means_it():
    assert LineReader(Console(file=io.StringIO()), stdin=io.StringIO("")).confirm("Finish?", plenty) is True


class TypedLines(io.StringIO):
    """Lines typed at a terminal that prompt_toolkit does not drive (e.g. stdout piped to a log)."""

    def isatty(self):
        return True


@pytest.mark.parametrize("typed, finished", [("y\n", True), ("\n", False), ("", False)])
def test_the_line_reader_asks_a_person_at_a_terminal(typed, finished):
    console = Console(file=io.StringIO())
    assert LineReader(console, stdin=TypedLines(typed)).confirm("Finish now?", plenty) is finished
    assert "Finish now? [y/N]" in console.file.getvalue()


def test_toolbar_counts_down_and_turns_red_in_the_last_two_minutes():
    calm, urgent = toolbar_text(44 * 60 + 59), toolbar_text(119)
    assert calm[0][1].strip() == "44:59 left" and "urgent" not in calm[0][0]
    assert urgent[0][1].strip() == "01:59 left" and "urgent" in urgent[0][0]
    assert "help lists the commands" in "".join(text for _, text in calm)


def test_the_countdown_ticks_every_second_without_redrawing_what_is_typed(keys):
    screen = io.StringIO()
    output = Vt100_Output(screen, lambda: Size(rows=12, columns=100), term="xterm")
    reader = PromptReader(input=keys, output=output)
    deadline = time.monotonic() + 30 * 60
    idle = {}

    def finish_typing_later():
        time.sleep(2.5)  # two ticks of the clock while "chec" waits on the line
        idle["end"] = len(screen.getvalue())
        keys.send_text("k\r")

    # A terminal answers the cursor-position request; the toolbar is drawn once it has.
    keys.send_text(CPR_REPLY + "chec")
    threading.Thread(target=finish_typing_later, daemon=True).start()
    assert reader.read("softmax (1/2)> ", lambda: deadline - time.monotonic()) == "check"
    drawn = screen.getvalue()
    first_toolbar = re.search(r"\d\d:\d\d left", drawn)
    assert first_toolbar and "chec" in ANSI.sub("", drawn[:first_toolbar.start()])
    ticks = ANSI.sub("", drawn[first_toolbar.end():idle["end"]])
    assert re.search(r"[0-9]", ticks), "the countdown was not redrawn while waiting"
    assert "chec" not in ticks and "softmax" not in ticks, "the ticks redrew the line being typed"


# --------------------------------------------------------------------------- the whole loop
@pytest.fixture
def running_mock(kata_home, monkeypatch):
    monkeypatch.setattr(cli, "_warm_up", lambda ws: None)
    started = CliRunner().invoke(cli.app, ["mock", "start", "--tag", "numpy", "--count", "1", "--minutes", "30",
                                           "--seed", "1", "--json"])
    assert started.exit_code == 0, started.output
    ws, progress = cli._open(None)
    return ws, progress, mocklib.active(progress)


def test_help_lists_the_commands_and_finish_asks_first(running_mock, keys):
    ws, progress, mock = running_mock
    out = Console(file=io.StringIO(), width=120)
    now = mock.row["started_at"] + 60
    graded = []

    def grade(kata, path):
        from harness.runner import grade_kata

        graded.append(kata.name)
        return grade_kata(kata, path, speed=False)

    keys.send_text("help\rfinish\rn\rfinish\ry\r")
    code = interactive(out, ws, progress, mock, lambda: now, PromptReader(input=keys, output=DummyOutput()),
                       grade=grade)
    text = out.file.getvalue()
    assert code == 0
    assert text.count(HELP.splitlines()[0]) == 2  # once on arrival, once for `help`
    for command in ("check", "hint", "show", "next", "skip", "status", "finish", "quit"):
        assert re.search(rf"^\s+{command}\b|\s{command}\s", text, re.M), command
    assert text.index("Not finished: the mock goes on.") < text.index("Scorecard")
    assert graded == mock.katas  # graded once, after the yes
    assert mocklib.active(progress) is None


# --------------------------------------------------------------------------- a real terminal
def _run_in_pty(args, env, keystrokes, timeout=60):
    """Run `kata ARGS` on a pseudo-terminal, typing each keystroke once the previous output has
    settled; return everything the terminal showed."""
    import pty

    code = ("import sys\nfrom harness import cli\ncli._warm_up = lambda ws: None\n"  # no server left behind
            "sys.argv = ['kata', *sys.argv[1:]]\ncli.main()\n")
    pid, fd = pty.fork()
    if pid == 0:  # the child: the command on the terminal
        os.execve(sys.executable, [sys.executable, "-c", code, *args], env)
    shown = b""
    pending = list(keystrokes)
    deadline = time.monotonic() + timeout
    try:
        while time.monotonic() < deadline:
            ready, _, _ = select.select([fd], [], [], 0.5)
            if ready:
                try:
                    chunk = os.read(fd, 65536)
                except OSError:  # the command exited
                    break
                if not chunk:
                    break
                shown += chunk
                if b"\x1b[6n" in chunk:  # answer the cursor-position request as a terminal does
                    os.write(fd, CPR_REPLY.encode())
            elif pending and b"left" in shown:
                os.write(fd, pending.pop(0).encode())
    finally:
        try:
            os.kill(pid, 9)
        except ProcessLookupError:
            pass
        os.waitpid(pid, 0)
        os.close(fd)
    return shown.decode("utf-8", "replace")


@pytest.mark.skipif(sys.platform == "win32", reason="pseudo-terminals are POSIX")
def test_on_a_real_terminal_the_up_arrow_repeats_a_command(kata_home):
    env = dict(os.environ, KATA_HOME=str(kata_home), PYTHONPATH=str(REPO), TERM="xterm", COLUMNS="100",
               LINES="40")
    shown = _run_in_pty(["mock", "--tag", "numpy", "--count", "1", "--minutes", "30", "--seed", "1"], env,
                        ["status\r", UP + "\r", "quit\r"])
    plain = ANSI.sub("", shown)
    assert "^[[A" not in plain
    assert plain.count("not checked") >= 2, plain[-2000:]  # `status`, then ↑ Enter: `status` again
    assert "help lists the commands" in plain  # the toolbar
    assert "Left the mock: it keeps running" in plain
    status = json.loads(CliRunner().invoke(cli.app, ["mock", "status", "--json"]).output)
    assert status["active"]


def test_time_running_out_while_the_prompt_waits_ends_the_mock(running_mock, keys):
    ws, progress, mock = running_mock
    out = Console(file=io.StringIO(), width=120)
    real_start, end = time.monotonic(), mock.row["started_at"] + mock.time_left(mock.row["started_at"])

    def clock():  # half a second before the end, then real time passes
        return end - 0.5 + (time.monotonic() - real_start)

    keys.send_text("sta")  # being typed when the time runs out
    with ctrl_c_after(keys, 20, "the prompt kept waiting after the time ran out"):
        code = interactive(out, ws, progress, mock, clock, PromptReader(input=keys, output=DummyOutput()))
    text = out.file.getvalue()
    assert code == 0 and "Time is up" in text and "Scorecard" in text
    assert time.monotonic() - real_start < 60
    assert mocklib.active(progress) is None
