"""`kata mock` (the interactive timed session and its scriptable subcommands) and `kata history`."""
from __future__ import annotations

import json
import select
import sys
from pathlib import Path
from typing import Callable, Optional

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
"""

Reader = Callable[[str, float], Optional[str]]


def print_markdown(console: Console, text: str) -> None:
    from .render import print_markdown as render  # lazy: only the mock needs it

    render(console, text)


def terminal_reader(console: Console) -> Reader:
    """Read one command, giving up after ``timeout`` seconds (so time running out ends an idle
    session); where stdin has no file descriptor (scripted input), read without a limit."""

    def read(prompt: str, timeout: float) -> Optional[str]:
        console.print(prompt, end="", highlight=False)
        sys.stdout.flush()
        try:
            fd = sys.stdin.fileno()
        except (AttributeError, ValueError, OSError):
            fd = None
        if fd is not None:
            ready, _, _ = select.select([sys.stdin], [], [], max(0.0, timeout))
            if not ready:
                console.print()
                return None
        line = sys.stdin.readline()
        if line == "":
            return "quit"  # end of input
        return line.strip()

    return read


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
                clock: Callable[[], float], read: Reader, grade=grade_quietly) -> int:
    """The mock prompt. Ctrl-C during a check stops that check (nothing recorded) and the
    prompt continues; Ctrl-C at the prompt itself leaves (the caller says the mock keeps running)."""
    from .runner import GradingInterrupted

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
        left = mock.time_left(now)
        prompt = f"[{clock_text(left)} left] {name} ({mock.current + 1}/{len(mock.katas)})> "
        # Wait at most a minute (15 s near the end) so an idle prompt is redrawn with the new
        # time left, and time running out ends the session even if nobody types.
        line = read(prompt, min(left, 60.0 if left > 120 else 15.0))
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
