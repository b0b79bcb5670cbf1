"""`kata mock` (the interactive timed session and its scriptable subcommands) and `kata history`."""
from __future__ import annotations

import json
import os
import select
import sys
from pathlib import Path
from typing import Callable, Optional, Protocol

import typer
from rich.console import Console

from .catalog import Kata, find
from .checking import INTERRUPTED
from .progress import Progress
from .workspace import Workspace

mock_app = typer.Typer(help="A timed mock interview: several katas against the clock, then a scorecard.",
                       invoke_without_command=True, no_args_is_help=False)

HELP = """Commands (the current kata is marked ▶):
  check [KATA]   grade the current kata (or KATA)      hint    the next hint (counted)
  show           the current statement                  next    move to the next kata
  skip           leave this kata for now (same as next) status  the time left and every kata's state
  finish         grade everything and end the mock     quit    leave; the clock keeps running, `kata mock` resumes
On a terminal: ↑/↓ recall earlier commands, Tab completes one, and `finish` asks before it ends the mock.
"""

# The words Tab completes at the prompt (aliases are left out: they are for fingers, not menus).
COMMANDS = ("check", "hint", "show", "next", "skip", "status", "finish", "quit", "help")
FINISH_QUESTION = "Finish now? Every kata is graded one last time and the scorecard is final."
URGENT_SECONDS = 120  # the toolbar turns red, and the plain prompt is redrawn more often


class Reader(Protocol):
    """Where the mock's commands come from. ``seconds_left`` is the mock's clock: a reader gives
    up (returns None) when it reaches zero, so time running out ends an idle session."""

    def read(self, prompt: str, seconds_left: Callable[[], float]) -> Optional[str]: ...

    def confirm(self, question: str, seconds_left: Callable[[], float]) -> bool: ...


def said_yes(answer: Optional[str]) -> bool:
    """No answer (time ran out, end of input) and anything but y/yes is a no."""
    return answer is not None and answer.strip().lower() in ("y", "yes")


class LineReader:
    """One line at a time from stdin, for scripts and pipes (and terminals prompt_toolkit cannot
    drive). The time left is part of the prompt, redrawn every minute (15 s near the end)."""

    def __init__(self, console: Console, stdin=None):
        self.console = console
        self.stdin = stdin

    def _stdin(self):
        return self.stdin if self.stdin is not None else sys.stdin  # CliRunner swaps sys.stdin late

    def read(self, prompt: str, seconds_left: Callable[[], float]) -> Optional[str]:
        left = seconds_left()
        self.console.print(f"[{clock_text(left)} left] {prompt}", end="", highlight=False, markup=False)
        sys.stdout.flush()
        stdin = self._stdin()
        try:
            fd = stdin.fileno()
        except (AttributeError, ValueError, OSError):
            fd = None  # scripted input: read without a limit
        if fd is not None:
            wait = min(left, 60.0 if left > URGENT_SECONDS else 15.0)
            ready, _, _ = select.select([stdin], [], [], max(0.0, wait))
            if not ready:
                self.console.print()
                return None
        line = stdin.readline()
        if line == "":
            return "quit"  # end of input
        return line.strip()

    def confirm(self, question: str, seconds_left: Callable[[], float]) -> bool:
        # A script that says `finish` means it; a person at a terminal is asked.
        stdin = self._stdin()
        if not (hasattr(stdin, "isatty") and stdin.isatty()):
            return True
        return said_yes(self.read(f"{question} [y/N] ", seconds_left))


def toolbar_text(seconds_left: float) -> list[tuple[str, str]]:
    """The prompt's bottom line: the countdown (red in the last two minutes) and the keys."""
    style = "class:bottom-toolbar.urgent" if seconds_left < URGENT_SECONDS else "class:bottom-toolbar.clock"
    return [(style, f" {clock_text(seconds_left)} left "),
            ("class:bottom-toolbar", " ↑↓ history · Tab completes · help lists the commands · Ctrl-C leaves ")]


class PromptReader:
    """The terminal prompt (prompt_toolkit): line editing, history (↑/↓, Ctrl-R), Tab completion
    of the commands, and a bottom toolbar whose countdown is redrawn every second without
    touching what is being typed. ``input``/``output`` are for tests (a pipe, a dummy)."""

    def __init__(self, input=None, output=None):
        from prompt_toolkit import PromptSession
        from prompt_toolkit.completion import WordCompleter
        from prompt_toolkit.history import InMemoryHistory
        from prompt_toolkit.styles import Style

        # The toolbar is drawn in reverse video: the urgent countdown turns that off to be white on red.
        style = Style.from_dict({"bottom-toolbar.clock": "bold",
                                 "bottom-toolbar.urgent": "noreverse bold fg:ansiwhite bg:ansired"})
        common = dict(input=input, output=output, refresh_interval=1.0, style=style)
        self.commands = PromptSession(history=InMemoryHistory(), completer=WordCompleter(COMMANDS),
                                      complete_while_typing=False, **common)
        self.answers = PromptSession(**common)  # a y/n answer is not a command worth recalling

    def read(self, prompt: str, seconds_left: Callable[[], float]) -> Optional[str]:
        line = self._ask(self.commands, prompt, seconds_left)
        return line if line is None else line.strip()

    def confirm(self, question: str, seconds_left: Callable[[], float]) -> bool:
        return said_yes(self._ask(self.answers, f"{question} [y/N] ", seconds_left))

    def _ask(self, session, message: str, seconds_left: Callable[[], float]) -> Optional[str]:
        import asyncio

        timer = []

        def give_up_when_time_is_up() -> None:  # runs inside the prompt's event loop
            app = session.app

            def expire() -> None:
                if not app.is_done:
                    app.exit(result=None)

            timer.append(asyncio.get_running_loop().call_later(max(0.0, seconds_left()), expire))

        try:
            return session.prompt(message, bottom_toolbar=lambda: toolbar_text(seconds_left()),
                                  pre_run=give_up_when_time_is_up)
        except EOFError:  # Ctrl-D on an empty line
            return "quit"
        finally:
            for handle in timer:
                handle.cancel()


def terminal_reader(console: Console) -> Reader:
    """The prompt_toolkit prompt on a terminal; the line reader for pipes, scripts and dumb terminals."""
    if sys.stdin.isatty() and sys.stdout.isatty() and os.environ.get("TERM") != "dumb":
        try:
            return PromptReader()
        except Exception:  # no usable terminal after all (e.g. no console on Windows): plain lines
            pass
    return LineReader(console)


def print_markdown(console: Console, text: str) -> None:
    from .render import print_markdown as render  # lazy: only the mock needs it

    render(console, text)


def clock_text(seconds: float) -> str:
    from .views import clock_text as fmt

    return fmt(seconds)


def _mock(row) -> "Mock":
    from .mock import Mock

    return Mock(row)


def _states(progress: Progress, mock) -> dict[str, str]:
    states = {}
    for name in mock.katas:
        checks = [e for e in progress.events(name, ["check"]) if e.data.get("mock") == mock.id]
        if checks:
            states[name] = checks[-1].data.get("status", "checked")
    return states


def finish_and_show(console: Console, ws: Workspace, progress: Progress, mock, now: float,
                    grade, reason: str, as_json: bool = False) -> dict:
    from .mock import finish

    card = finish(ws, progress, mock, now, grade, reason)
    if as_json:
        print(json.dumps(card, indent=2))
    else:
        from .views import scorecard

        from .render import print_wide

        print_wide(console, scorecard(card))
        console.print(f"[dim]See it again any time: kata history {card['mock']}[/]")
    return card


def grade_quietly(kata: Kata, path: Path):
    from .runner import grade_kata

    return grade_kata(kata, path, speed=False)


def check_in_mock(console: Console, progress: Progress, mock, kata: Kata, now: float):
    from .checking import grade_record_report

    return grade_record_report(console, progress, kata, mock.path(kata.name), now - mock.row["started_at"],
                               mock=mock.id)


def hint_in_mock(console: Console, progress: Progress, mock, kata: Kata) -> None:
    taken = progress.hints_taken(kata.name, mock.id)
    if taken >= len(kata.hints):
        console.print(f"No more hints for {kata.name} ({len(kata.hints)} used).")
        return
    progress.record(kata.name, "hint", {"mock": mock.id, "number": taken + 1})
    print_markdown(console, f"**Hint {taken + 1}/{len(kata.hints)}** (costs 10 points). {kata.hints[taken]}")


def introduce(console: Console, mock, now: float) -> None:
    console.print(f"[bold]Mock interview #{mock.id}[/]: {len(mock.katas)} katas, "
                  f"{clock_text(mock.time_left(now))} left. Your files are in {mock.folder}")
    for i, name in enumerate(mock.katas, 1):
        kata = find(name)
        console.print(f"  {i}. [bold]{name}[/] — {kata.title} (par {kata.par_minutes} min)  {mock.path(name)}")


def interactive(console: Console, ws: Workspace, progress: Progress, mock,
                clock: Callable[[], float], reader: Reader, grade=grade_quietly) -> int:
    """The mock prompt. Ctrl-C during a check stops that check (nothing recorded) and the
    prompt continues; Ctrl-C at the prompt itself leaves (the caller says the mock keeps running)."""
    from .runner import GradingInterrupted

    def seconds_left() -> float:
        return mock.time_left(clock())  # `mock` is re-read when the current kata changes

    introduce(console, mock, clock())
    console.print(HELP, style="dim")
    print_markdown(console, find(mock.katas[mock.current]).statement_path.read_text(encoding="utf-8"))
    while True:
        now = clock()
        if mock.expired(now):
            console.print("[bold red]Time is up.[/] Grading everything one last time…")
            try:
                finish_and_show(console, ws, progress, mock, now, grade, "time ran out")
            except GradingInterrupted:
                console.print(INTERRUPTED + " `kata mock finish` grades the mock and shows the scorecard.")
                return 130
            return 0
        name = mock.katas[mock.current]
        # The reader gives up when the clock reaches zero: time running out ends the session
        # even if nobody types.
        line = reader.read(f"{name} ({mock.current + 1}/{len(mock.katas)})> ", seconds_left)
        if line is None:
            continue
        words = line.split()
        command, args = (words[0].lower(), words[1:]) if words else ("", [])
        now = clock()
        if mock.expired(now):
            continue  # the loop head finishes it
        if command in ("check", "c"):
            target = name
            if args:
                try:
                    target = find(args[0]).name
                except LookupError:
                    target = args[0]
                if target not in mock.katas:
                    console.print(f"`{args[0]}` is not a kata of this mock: its katas are {', '.join(mock.katas)}.",
                                  highlight=False)
                    continue
            try:
                check_in_mock(console, progress, mock, find(target), now)
            except GradingInterrupted:
                console.print(INTERRUPTED)
        elif command in ("hint", "h"):
            hint_in_mock(console, progress, mock, find(name))
        elif command == "show":
            print_markdown(console, find(name).statement_path.read_text(encoding="utf-8"))
        elif command in ("next", "n", "skip"):
            progress.set_mock_current(mock.id, (mock.current + 1) % len(mock.katas))
            mock = _mock(progress.mock(mock.id))
            new = find(mock.katas[mock.current])
            console.print(f"Now on [bold]{new.name}[/] — {new.title}: {mock.path(new.name)} (`show` for the statement)")
        elif command in ("status", "s", ""):
            from .render import print_wide
            from .views import mock_status

            print_wide(console, mock_status(mock, now, _states(progress, mock)))
        elif command == "finish":
            if not reader.confirm(FINISH_QUESTION, seconds_left):
                console.print("Not finished: the mock goes on.")
                continue
            now = clock()
            if mock.expired(now):
                continue  # the loop head finishes it, as time ran out
            try:
                finish_and_show(console, ws, progress, mock, now, grade, "finished early")
            except GradingInterrupted:
                console.print(INTERRUPTED + " The mock is still running.")
                continue
            return 0
        elif command in ("quit", "exit", "q"):
            console.print(f"Left the mock: it keeps running ({clock_text(mock.time_left(now))} left). "
                          "`kata mock` resumes it, `kata mock finish` ends it.")
            return 0
        elif command in ("help", "?"):
            console.print(HELP)
        else:
            console.print(f"Unknown command `{command}`. Type `help` for the list.")
