"""The `kata` command line (Typer + Rich).

Nothing here imports numpy or torch: grading happens in a child process (harness.runner).
"""
from __future__ import annotations

from . import prelaunch as _prelaunch

if _prelaunch.invoked_as_kata():  # `kata check` starts grading before Typer and Rich are imported
    _prelaunch.start_check_early()

import json
import sys
import time
from pathlib import Path
from typing import Optional

import typer
from rich.console import Console
from typer.core import TyperGroup

from . import __version__
from .catalog import DIFFICULTIES, Kata, UnknownKata, all_katas, find
from .progress import Progress, ProgressUnavailable
from .workspace import Workspace, create_exclusive, resolve

class _KataGroup(TyperGroup):
    """Every command: a progress file that cannot be used right now (locked past the busy
    timeout, disk full, read-only) is one paragraph and exit 1, never a traceback."""

    def invoke(self, ctx):
        import sqlite3

        from .progress import describe_failure

        try:
            return super().invoke(ctx)
        except ProgressUnavailable as exc:
            err_console.print(f"[bold red]error:[/] {exc}", highlight=False)
            raise typer.Exit(1) from None
        except sqlite3.OperationalError as exc:
            err_console.print(f"[bold red]error:[/] {describe_failure(_db_path_hint(), exc)}", highlight=False)
            raise typer.Exit(1) from None


app = typer.Typer(
    cls=_KataGroup,
    name="kata",
    help="A dojo for ML and LLM coding interviews: start a kata, write it in your editor, check it.",
    no_args_is_help=True,
    rich_markup_mode="rich",
    add_completion=False,
    pretty_exceptions_enable=False,
)

# In a pipe (or a test runner) nothing is hard-wrapped: a path or a command cut across two
# lines cannot be copied. Error paragraphs are never hard-wrapped; the terminal wraps them.
console = Console(soft_wrap=not sys.stdout.isatty())
err_console = Console(stderr=True, soft_wrap=True)

WorkspaceOpt = typer.Option(None, "--workspace", "-w", help="Workspace folder (default: $KATA_HOME, else ~/kata).",
                            show_default=False)
JsonOpt = typer.Option(False, "--json", help="Print one JSON object instead of the report.")


def fail_usage(message: str) -> None:
    """A user mistake: one paragraph on stderr, exit code 2."""
    err_console.print(f"[bold red]error:[/] {message}", highlight=False)
    raise typer.Exit(2)


def _kata(name: str, only_this_one: bool = False) -> Kata:
    try:
        return _prelaunch.find_one(name) if only_this_one else find(name)
    except UnknownKata as exc:
        fail_usage(str(exc))


def _workspace(workspace: Optional[Path]) -> Workspace:
    ws = Workspace(resolve(workspace))
    try:
        ws.ensure()
    except OSError as exc:
        fail_usage(f"The workspace {ws.root} cannot be used: {exc.strerror or exc} (is {ws.root} or "
                   f"{ws.state_dir} a file?). Choose another with --workspace or KATA_HOME.")
    return ws


def _open(workspace: Optional[Path]) -> tuple[Workspace, Progress]:
    ws = _workspace(workspace)
    # The clock is looked up at call time so that tests can replace `clock` (nobody sleeps).
    return ws, Progress(ws.db_path, clock=lambda: clock(),
                        warn=lambda m: err_console.print(f"[yellow]warning:[/] {m}"))


def clock() -> float:
    return time.time()


# --------------------------------------------------------------------------- list / show
@app.command("list")
def list_cmd(
    tag: Optional[str] = typer.Option(None, "--tag", "-t", help="Only katas with this tag."),
    difficulty: Optional[str] = typer.Option(None, "--difficulty", "-d", help="easy, medium or hard."),
    as_json: bool = JsonOpt,
    workspace: Optional[Path] = WorkspaceOpt,
) -> None:
    """List the katas with your status and best time."""
    if difficulty and difficulty not in DIFFICULTIES:
        fail_usage(f"Unknown difficulty `{difficulty}`: use one of {', '.join(DIFFICULTIES)}.")
    katas = [k for k in all_katas() if (not tag or tag in k.tags) and (not difficulty or k.difficulty == difficulty)]
    _, progress = _open(workspace)
    summaries = progress.all_summaries()
    rows = []
    for k in katas:
        s = summaries.get(k.name)
        rows.append({"name": k.name, "title": k.title, "difficulty": k.difficulty, "tags": list(k.tags),
                     "aliases": list(k.aliases), "par_minutes": k.par_minutes,
                     "status": s.status if s else "new", "best_seconds": s.best_seconds if s else None})
    if as_json:
        print(json.dumps(rows, indent=2))
        return
    if not rows:
        console.print("No kata matches." + (f" Tags in use: {', '.join(sorted({t for k in all_katas() for t in k.tags}))}."
                                            if tag else ""))
        return
    from .render import fmt_duration

    from rich import box

    # One line per kata (no wrapping): quicker to scan, and quicker to render.
    # Name, level, status and best time always fit; the title takes what is left; tags only
    # where the terminal is wide enough (filter with --tag).
    table = Table(title=f"{len(rows)} katas", title_justify="left", box=box.SIMPLE_HEAD)
    show_tags = console.width >= 110
    table.add_column("name", no_wrap=True, min_width=max(len(r["name"]) for r in rows))
    for col, width in (("level", 6), ("status", 8), ("best", 7)):
        table.add_column(col, no_wrap=True, min_width=width)
    table.add_column("title", no_wrap=True, overflow="ellipsis", ratio=1)
    if show_tags:
        table.add_column("tags", no_wrap=True, overflow="ellipsis")
    style = {"passed": "green", "started": "yellow", "revealed": "magenta", "new": "dim"}
    for r in rows:
        cells = [r["name"], r["difficulty"], f"[{style[r['status']]}]{r['status']}[/]",
                 fmt_duration(r["best_seconds"]) if r["best_seconds"] is not None else "—", r["title"]]
        table.add_row(*cells, *([", ".join(r["tags"])] if show_tags else []))
    console.print(table)


@app.command()
def show(kata: str = typer.Argument(..., help="Kata name or alias.")) -> None:
    """Show a kata's statement."""
    k = _kata(kata)
    console.print(Markdown(k.statement_path.read_text(encoding="utf-8")))


# --------------------------------------------------------------------------- start
@app.command()
def start(
    kata: str = typer.Argument(..., help="Kata name or alias."),
    fresh: bool = typer.Option(False, "--fresh", help="Move the current attempt to a backup and start over."),
    workspace: Optional[Path] = WorkspaceOpt,
) -> None:
    """Copy the kata's stub into your workspace and show the statement."""
    k = _kata(kata)
    ws, progress = _open(workspace)
    path = ws.attempt_path(k.name)
    stub = k.stub_path.read_text(encoding="utf-8")
    note = ""
    if path.exists() and fresh:
        backup = ws.move_aside(path, k.name)
        note = f"Your previous attempt was moved to {backup}."
    if create_exclusive(path, stub):
        progress.record(k.name, "fresh" if note else "start", {"file": str(path), "new_attempt": True})
        headline = f"Started [bold]{k.name}[/] — {k.title}"
    else:
        progress.record(k.name, "resume", {"file": str(path)})
        headline = f"Resuming [bold]{k.name}[/]: your attempt is kept as it is (use --fresh to start over)."
    console.print(Markdown(k.statement_path.read_text(encoding="utf-8")))
    console.print()
    console.print(headline)
    if note:
        console.print(note)
    console.print(f"Edit  [bold cyan]{path}[/]")
    console.print(f"Check [bold]kata check {k.name}[/]   Hint [bold]kata hint {k.name}[/]   "
                  f"(par time {k.par_minutes} min)")


# --------------------------------------------------------------------------- check
@app.command()
def check(
    kata: str = typer.Argument(..., help="Kata name or alias."),
    file: Optional[Path] = typer.Option(None, "--file", "-f", help="Grade this file instead of the workspace attempt."),
    seed: Optional[int] = typer.Option(None, "--seed", help="Change the random draw of the graded cases."),
    as_json: bool = JsonOpt,
    timeout: Optional[float] = typer.Option(None, "--timeout", help="Seconds before the attempt is stopped "
                                            "(default: the kata's, usually 10)."),
    workspace: Optional[Path] = WorkspaceOpt,
) -> None:
    """Grade your attempt. Exit code 0 when it passes, 1 when it fails, 2 on a usage error."""
    from .checking import grade_record_report
    from .runner import GradingInterrupted

    k = _kata(kata, only_this_one=True)  # its own kata.toml, not the whole catalogue
    if timeout is not None and timeout <= 0:
        fail_usage("--timeout must be a positive number of seconds.")
    try:
        ws, progress = _open(workspace)
    except ProgressUnavailable as exc:
        _check_unrecorded(k, file, _workspace(workspace), exc, as_json, seed, timeout)
    path, elapsed, tags = _check_target(k, file, ws, progress, as_json)
    if tags and not as_json:
        console.print(f"[dim]Mock interview #{tags['mock']}: grading {path}[/]")
    try:
        result = grade_record_report(console, progress, k, path, elapsed, as_json=as_json, seed=seed,
                                     timeout=timeout, **tags)
    except GradingInterrupted:
        err_console.print("Interrupted: the check was stopped and nothing was recorded.")
        raise typer.Exit(130)
    if not as_json and not result.passed and result.status != "error":
        remaining = len(k.hints) - progress.hints_taken(k.name, tags.get("mock"))
        if remaining > 0:
            console.print(f"[dim]Stuck? `kata hint {k.name}` ({remaining} hint{'s' * (remaining != 1)} left).[/]")
    raise typer.Exit(0 if result.passed else 1)


def _check_unrecorded(k: Kata, file: Optional[Path], ws: Workspace, why: Exception, as_json: bool,
                      seed: Optional[int], timeout: Optional[float]) -> None:
    """The progress file cannot be opened (locked, read-only, disk full): the verdict is still
    given, and it says that it was not recorded."""
    from .render import print_result
    from .runner import GradingInterrupted, grade_kata

    path = file if file is not None else ws.attempt_path(k.name)
    if not path.is_file():
        fail_usage(f"There is no attempt to grade at {path}.")
    try:
        result = grade_kata(k, path, seed=seed, timeout=timeout)
    except GradingInterrupted:
        err_console.print("Interrupted: the check was stopped and nothing was recorded.")
        raise typer.Exit(130)
    if as_json:
        print(json.dumps({**result.to_json(), "recorded": False}, indent=2, default=str))
    else:
        print_result(console, result)
    err_console.print(f"[yellow]warning:[/] this result was not recorded. {why}", highlight=False)
    raise typer.Exit(0 if result.passed else 1)


def _check_target(k: Kata, file: Optional[Path], ws: Workspace, progress: Progress,
                  as_json: bool = False) -> tuple[Path, Optional[float], dict]:
    """What `check` and `watch` grade: (file, seconds since its start, event tags).

    ``--file`` wins; else the running mock's copy when the kata is part of it (its clock is the
    mock's); else the practice attempt (its clock starts at `kata start`)."""
    if file is None:
        mock = _active_mock(progress, ws, as_json)
        if mock is not None and k.name in mock.katas:
            return mock.path(k.name), clock() - mock.row["started_at"], {"mock": mock.id}
    path = file if file is not None else ws.attempt_path(k.name)
    if not path.exists():
        hint = f"Run `kata start {k.name}` to create it." if file is None else "Check the path."
        fail_usage(f"There is no attempt to grade at {path}. {hint}")
    if path.is_dir():
        fail_usage(f"{path} is a folder; pass the attempt's .py file.")
    started = progress.summary(k.name).started_at
    return path, (clock() - started if started is not None else None), {}


# --------------------------------------------------------------------------- hint / reveal
@app.command()
def hint(
    kata: str = typer.Argument(..., help="Kata name or alias."),
    workspace: Optional[Path] = WorkspaceOpt,
) -> None:
    """Show the next hint (hints unlock one at a time and are counted)."""
    k = _kata(kata)
    ws, progress = _open(workspace)
    if not k.hints:
        console.print(f"{k.name} has no hints.")
        return
    mock = _active_mock(progress, ws)
    if mock is not None and k.name in mock.katas:
        hint_in_mock(console, progress, mock, k)
        return
    taken = progress.summary(k.name).hints
    if taken >= len(k.hints):
        console.print(f"[dim]All {len(k.hints)} hints are unlocked:[/]")
        for i, text in enumerate(k.hints, 1):
            console.print(Markdown(f"**Hint {i}/{len(k.hints)}.** {text}"))
        return
    progress.record(k.name, "hint", {"number": taken + 1})
    for i, text in enumerate(k.hints[: taken + 1], 1):
        style = "" if i == taken + 1 else "dim"
        console.print(Markdown(f"**Hint {i}/{len(k.hints)}.** {text}"), style=style)
    left = len(k.hints) - taken - 1
    if left:
        console.print(f"[dim]{left} more hint{'s' * (left != 1)}: run `kata hint {k.name}` again.[/]")


@app.command()
def reveal(
    kata: str = typer.Argument(..., help="Kata name or alias."),
    yes: bool = typer.Option(False, "--yes", "-y", help="Do not ask for confirmation."),
    workspace: Optional[Path] = WorkspaceOpt,
) -> None:
    """Show the reference solution and the interviewer's follow-up notes."""
    from rich.syntax import Syntax

    k = _kata(kata)
    ws, progress = _open(workspace)
    summary = progress.summary(k.name)
    mock = _active_mock(progress, ws)
    in_mock = {"mock": mock.id} if mock is not None and k.name in mock.katas else {}
    if summary.passes == 0 and not yes:
        if not sys.stdin.isatty():
            fail_usage(f"You have not passed {k.name} yet. Pass --yes to reveal the solution anyway.")
        cost = " It costs this kata all its points in the mock." if in_mock else ""
        if not typer.confirm(f"You have not passed {k.name} yet.{cost} Reveal the solution anyway?", default=False):
            console.print("Not revealed.")
            raise typer.Exit(1)
    progress.record(k.name, "reveal", {"after_pass": summary.passes > 0, **in_mock})
    console.print(f"[bold]Reference solution: {k.name}[/] — {k.title}")
    source = k.solution_path.read_text(encoding="utf-8")
    if console.is_terminal:
        console.print(Syntax(source, "python", line_numbers=False, theme="ansi_dark", word_wrap=True))
    else:  # piped or saved: the file exactly as it is, no wrapping
        print(source)
    if k.notes_path.exists():
        console.print(Markdown(k.notes_path.read_text(encoding="utf-8")))


# --------------------------------------------------------------------------- mock interviews
# The mock machinery (scheduler, scorecards) is imported on first use: `kata list` must start fast.
from .mock_cli import mock_app  # noqa: E402

app.add_typer(mock_app, name="mock")

from .server_cli import server_app  # noqa: E402

app.add_typer(server_app, name="server")


def _mocklib():
    from . import mock

    return mock


def _delegate(name: str):
    def call(*args, **kwargs):
        from . import mock_cli

        return getattr(mock_cli, name)(*args, **kwargs)

    call.__name__ = name
    return call


finish_and_show, grade_quietly, hint_in_mock, interactive, introduce, terminal_reader = (
    _delegate(n) for n in ("finish_and_show", "grade_quietly", "hint_in_mock", "interactive", "introduce",
                           "terminal_reader"))


def Markdown(text: str):  # noqa: N802 - rich.markdown costs ~65 ms to import; only some commands need it
    from rich.markdown import Markdown as RichMarkdown

    return RichMarkdown(text)


def Table(*args, **kwargs):  # noqa: N802 - imported on first use, like Markdown
    from rich.table import Table as RichTable

    return RichTable(*args, **kwargs)


def _active_mock(progress: Progress, ws: Workspace, as_json: bool = False) -> Optional["Mock"]:
    """The running mock; one whose time ran out is finished (graded, scorecard saved) first."""
    mock = _mocklib().active(progress)
    if mock is not None and mock.expired(clock()):
        err_console.print(f"Mock interview #{mock.id} ran out of time; grading it now.")
        finish_and_show(console if not as_json else err_console, ws, progress, mock, clock(), grade_quietly,
                        "time ran out")
        return None
    return mock


def _start_mock(ws, progress, minutes, count, tag, difficulty, seed) -> "Mock":
    if difficulty and difficulty not in DIFFICULTIES:
        fail_usage(f"Unknown difficulty `{difficulty}`: use one of {', '.join(DIFFICULTIES)}.")
    try:
        return _mocklib().start(ws, progress, clock(), minutes=minutes, count=count, tag=tag, difficulty=difficulty,
                             seed=seed)
    except _mocklib().MockError as exc:
        fail_usage(str(exc))


MinutesOpt = typer.Option(45.0, "--minutes", "-m", help="Length of the interview.")
CountOpt = typer.Option(3, "--count", "-n", help="How many katas.")
TagOpt = typer.Option(None, "--tag", "-t", help="Only katas with this tag.")
DifficultyOpt = typer.Option(None, "--difficulty", "-d", help="easy, medium or hard.")
SeedOpt = typer.Option(None, "--seed", help="Make the choice of katas reproducible.")


@mock_app.callback()
def mock_main(ctx: typer.Context, minutes: float = MinutesOpt, count: int = CountOpt, tag: Optional[str] = TagOpt,
              difficulty: Optional[str] = DifficultyOpt, seed: Optional[int] = SeedOpt,
              workspace: Optional[Path] = WorkspaceOpt) -> None:
    """Run a timed mock interview in this terminal (resumes an unfinished one).

    Katas you never passed and katas due for review come first. Your mock files live in
    their own folder, so practice attempts stay untouched. Ctrl-C or closing the terminal
    keeps the session: run [bold]kata mock[/] again to resume with the right time left.
    """
    if ctx.invoked_subcommand is not None:
        ctx.obj = {"workspace": workspace}
        return
    ws, progress = _open(workspace)
    mock = _active_mock(progress, ws)
    if mock is None:
        mock = _start_mock(ws, progress, minutes, count, tag, difficulty, seed)
    else:
        console.print(f"Resuming mock interview #{mock.id}.")
    _warm_up(ws)
    try:
        code = interactive(console, ws, progress, mock, clock, terminal_reader(console))
    except KeyboardInterrupt:
        console.print(f"\nPaused. The mock keeps running; `kata mock` resumes it.")
        raise typer.Exit(130)
    raise typer.Exit(code)


def _ws_from(ctx: typer.Context, workspace: Optional[Path]) -> Optional[Path]:
    return workspace or (ctx.obj or {}).get("workspace")


@mock_app.command("start")
def mock_start(ctx: typer.Context, minutes: float = MinutesOpt, count: int = CountOpt, tag: Optional[str] = TagOpt,
               difficulty: Optional[str] = DifficultyOpt, seed: Optional[int] = SeedOpt, as_json: bool = JsonOpt,
               workspace: Optional[Path] = WorkspaceOpt) -> None:
    """Start a mock without the terminal loop (for scripts and editors)."""
    ws, progress = _open(_ws_from(ctx, workspace))
    if _active_mock(progress, ws, as_json) is not None:
        fail_usage("A mock interview is already running: `kata mock status` shows it, `kata mock finish` ends it.")
    mock = _start_mock(ws, progress, minutes, count, tag, difficulty, seed)
    if as_json:
        print(json.dumps({"mock": mock.id, "katas": mock.katas, "folder": str(mock.folder),
                          "files": {k: str(mock.path(k)) for k in mock.katas},
                          "seconds_left": mock.time_left(clock())}, indent=2))
        return
    introduce(console, mock, clock())
    console.print("Edit the files, then `kata check KATA` grades the mock's copy; `kata mock finish` ends it.")


@mock_app.command("status")
def mock_status_cmd(ctx: typer.Context, as_json: bool = JsonOpt, workspace: Optional[Path] = WorkspaceOpt) -> None:
    """The time left and the state of every kata of the running mock."""
    from .mock_cli import _states
    from .views import mock_status

    ws, progress = _open(_ws_from(ctx, workspace))
    mock = _active_mock(progress, ws, as_json)
    if mock is None:
        if as_json:
            print(json.dumps({"active": False}))
            return
        console.print("No mock interview is running. Start one with `kata mock`.")
        return
    now = clock()
    if as_json:
        print(json.dumps({"active": True, "mock": mock.id, "katas": mock.katas, "current": mock.katas[mock.current],
                          "seconds_left": mock.time_left(now), "states": _states(progress, mock),
                          "folder": str(mock.folder)}, indent=2))
        return
    console.print(mock_status(mock, now, _states(progress, mock)))


@mock_app.command("finish")
def mock_finish(ctx: typer.Context, as_json: bool = JsonOpt, workspace: Optional[Path] = WorkspaceOpt) -> None:
    """Grade every kata of the running mock once more and show the scorecard."""
    ws, progress = _open(_ws_from(ctx, workspace))
    mock = _mocklib().active(progress)
    if mock is None:
        fail_usage("No mock interview is running. `kata history` shows finished ones.")
    reason = "time ran out" if mock.expired(clock()) else "finished early"
    finish_and_show(console, ws, progress, mock, clock(), grade_quietly, reason, as_json)


@app.command()
def history(
    mock_id: Optional[int] = typer.Argument(None, help="Show this mock's scorecard again."),
    as_json: bool = JsonOpt,
    workspace: Optional[Path] = WorkspaceOpt,
) -> None:
    """List past mock interviews, or show one's scorecard again."""
    from .render import fmt_duration
    from .views import scorecard

    ws, progress = _open(workspace)
    _active_mock(progress, ws, as_json)
    if mock_id is not None:
        row = progress.mock(mock_id)
        if row is None or row["scorecard"] is None:
            fail_usage(f"There is no finished mock #{mock_id}. `kata history` lists them.")
        if as_json:
            print(json.dumps(row["scorecard"], indent=2))
        else:
            console.print(scorecard(row["scorecard"]))
        return
    rows = [m for m in progress.mocks() if m["scorecard"]]
    if as_json:
        print(json.dumps([m["scorecard"] for m in rows], indent=2))
        return
    if not rows:
        console.print("No finished mock interview yet. Start one with `kata mock`.")
        return
    table = Table(title="mock interviews", title_justify="left")
    for col in ("#", "date", "katas", "passed", "time used", "score", "verdict"):
        table.add_column(col)
    for m in rows:
        card = m["scorecard"]
        passed = sum(1 for k in card["katas"] if k["passed"])
        table.add_row(str(m["id"]), time.strftime("%Y-%m-%d %H:%M", time.localtime(card["started_at"])),
                      ", ".join(m["katas"]), f"{passed}/{len(card['katas'])}",
                      fmt_duration(card["ended_at"] - card["started_at"]), f"{card['score']:g}",
                      card["verdict"].split(":")[0])
    console.print(table)
    console.print("[dim]`kata history N` shows a scorecard again.[/]")


# --------------------------------------------------------------------------- stats / next / watch / reset
def _kata_cycles(progress: Progress) -> dict[str, list]:
    from . import history as hist

    ends = {m["id"]: m["finished_at"] for m in progress.mocks() if m["finished_at"]}
    by_kata: dict[str, list] = {}
    for ev in progress.events():
        by_kata.setdefault(ev.kata, []).append(ev)
    return {name: hist.cycles(evs, ends) for name, evs in by_kata.items()}


@app.command()
def stats(as_json: bool = JsonOpt, workspace: Optional[Path] = WorkspaceOpt) -> None:
    """Your practice: attempts, passes, times, hints and reveals per kata, coverage by tag."""
    from . import history as hist
    from .views import stats_view

    _, progress = _open(workspace)
    cycles = _kata_cycles(progress)
    rows = [hist.stats(k.name, cycles[k.name]) for k in all_katas() if k.name in cycles]
    coverage: dict[str, list[int]] = {}
    for k in all_katas():
        passed = any(c.passed for c in cycles.get(k.name, []))
        for tag in k.tags:
            entry = coverage.setdefault(tag, [0, 0])
            entry[0] += passed
            entry[1] += 1
    if as_json:
        print(json.dumps({"katas": [vars(r) for r in rows], "coverage": {t: {"passed": p, "total": n}
                                                                         for t, (p, n) in coverage.items()}},
                         indent=2))
        return
    if not rows:
        console.print("No practice recorded yet. `kata start softmax` is a good first kata.")
    console.print(stats_view(rows, {t: (p, n) for t, (p, n) in coverage.items()}))


@app.command("next")
def next_cmd(
    limit: int = typer.Option(5, "--limit", "-n", help="How many suggestions."),
    as_json: bool = JsonOpt,
    workspace: Optional[Path] = WorkspaceOpt,
) -> None:
    """What to practise today, and why (spaced repetition, SM-2 style)."""
    from . import history as hist
    from .schedule import plan, replay

    _, progress = _open(workspace)
    cycles = _kata_cycles(progress)
    cards = {k.name: replay(k.name, hist.reviews(cycles.get(k.name, []), k.par_minutes)) for k in all_katas()}
    suggestions = plan(cards, {k.name: k.difficulty for k in all_katas()}, clock(), limit)
    if as_json:
        print(json.dumps([vars(s) for s in suggestions], indent=2))
        return
    upcoming = sorted((c.due, c.kata) for c in cards.values() if c.due is not None and c.due > clock())
    if not suggestions:
        console.print("Nothing is due today.")
    for i, s in enumerate(suggestions, 1):
        console.print(f"{i}. [bold]{s.kata}[/] — {find(s.kata).title}\n   [dim]{s.reason}[/]")
    if upcoming:
        due, name = upcoming[0]
        console.print(f"[dim]Next review: {name} on {time.strftime('%Y-%m-%d', time.localtime(due))}.[/]")


@app.command()
def reset(
    kata: str = typer.Argument(..., help="Kata name or alias."),
    workspace: Optional[Path] = WorkspaceOpt,
) -> None:
    """Put the stub back, keeping your current attempt as a timestamped backup."""
    k = _kata(kata)
    ws, progress = _open(workspace)
    path = ws.attempt_path(k.name)
    backup = ws.move_aside(path, k.name) if path.exists() else None
    if not create_exclusive(path, k.stub_path.read_text(encoding="utf-8")):
        fail_usage(f"{path} appeared while resetting; nothing was changed.")
    progress.record(k.name, "reset", {"file": str(path), "backup": str(backup) if backup else None})
    console.print(f"{path} is the stub again." + (f" Your attempt is kept at {backup}." if backup else ""))


@app.command()
def watch(
    kata: str = typer.Argument(..., help="Kata name or alias."),
    file: Optional[Path] = typer.Option(None, "--file", "-f", help="Watch this file instead of the workspace attempt."),
    interval: float = typer.Option(0.5, "--interval", help="Seconds between looks at the file."),
    workspace: Optional[Path] = WorkspaceOpt,
) -> None:
    """Check the attempt again every time you save it. Ctrl-C leaves."""
    from .watch import watch_loop

    k = _kata(kata)
    ws, progress = _open(workspace)
    path, _, _ = _check_target(k, file, ws, progress)
    _warm_up(ws)
    console.print(f"Watching {path} — save to re-check, Ctrl-C to leave.")
    try:
        watch_loop(path, lambda: _watch_grade(k, file, ws, progress), interval=interval)
    except KeyboardInterrupt:
        console.print("\nStopped watching.")


def _warm_up(ws: Workspace) -> None:
    """Long sessions (watch, the interactive mock) start the warm grader in the background: the
    checks of the first seconds go cold, the later ones fork from it."""
    from . import warm

    try:
        warm.start(ws.state_dir, wait=0)
    except warm.Unavailable:
        pass


def _watch_grade(k: Kata, file: Optional[Path], ws: Workspace, progress: Progress) -> None:
    from .checking import grade_record_report
    from .runner import GradingInterrupted

    # Resolved on every save: a mock that ran out of time meanwhile is finished and left.
    path, elapsed, tags = _check_target(k, file, ws, progress)
    try:  # a pass gets one line below, a failure the full report
        result = grade_record_report(console, progress, k, path, elapsed, show=False, watch=True, **tags)
    except GradingInterrupted:
        raise KeyboardInterrupt from None
    stamp = time.strftime("%H:%M:%S", time.localtime(clock()))
    if result.passed:
        console.print(f"[{stamp}] [bold green]✓ {k.name} passed[/]")
    else:
        from .render import print_result

        print_result(console, result)
        console.print(f"[dim][{stamp}] waiting for the next save…[/]")


# --------------------------------------------------------------------------- entry
def _version(value: bool) -> None:
    if value:
        console.print(f"kata {__version__}")
        raise typer.Exit()


@app.callback()
def _root(version: bool = typer.Option(False, "--version", callback=_version, is_eager=True,
                                       help="Show the version and exit.")) -> None:
    """A dojo for ML and LLM coding interviews.

    Start with [bold]kata list[/], then [bold]kata start softmax[/], edit the file it prints, and run
    [bold]kata check softmax[/].
    """


def main() -> None:
    app()


def _db_path_hint() -> Path:
    """The progress file of the workspace this command line names (for an error message)."""
    argv = sys.argv[1:]
    for i, arg in enumerate(argv):
        if arg in ("--workspace", "-w") and i + 1 < len(argv):
            return Workspace(resolve(argv[i + 1])).db_path
        if arg.startswith("--workspace="):
            return Workspace(resolve(arg.split("=", 1)[1])).db_path
    return Workspace(resolve(None)).db_path


if __name__ == "__main__":
    main()
