"""The `kata` command line (Typer + Rich).

Nothing here imports numpy or torch: grading happens in a child process (harness.runner).
"""
from __future__ import annotations

import json
import math
import os
import sys
import time
from pathlib import Path
from typing import NamedTuple, Optional

import typer
from rich.console import Console
from typer.core import TyperGroup

from . import __version__
from .catalog import DIFFICULTIES, Kata, UnknownKata, all_katas, find
from .checking import INTERRUPTED
from .progress import Progress, ProgressUnavailable
from .render import print_markdown, print_wide
from .workspace import Workspace, create_exclusive, resolve

class _KataGroup(TyperGroup):
    """Every command: a progress file that cannot be used right now (locked past the busy
    timeout, disk full, read-only) is one paragraph and exit 1, never a traceback."""

    def invoke(self, ctx):
        import sqlite3

        from .progress import describe_failure

        _check_environment()
        try:
            return super().invoke(ctx)
        except ProgressUnavailable as exc:
            err_console.print(f"[bold red]error:[/] {exc}", highlight=False)
            raise typer.Exit(1) from None
        except sqlite3.OperationalError as exc:
            err_console.print(f"[bold red]error:[/] {describe_failure(_db_path_hint(), exc)}", highlight=False)
            raise typer.Exit(1) from None
        except Exception as exc:
            # Ctrl-C in a grading that no command caught (e.g. an expired mock graded on the way)
            runner = sys.modules.get("harness.runner")  # imported by every grading
            if runner is None or not isinstance(exc, runner.GradingInterrupted):
                raise
            err_console.print(INTERRUPTED)
            raise typer.Exit(130) from None


app = typer.Typer(
    cls=_KataGroup,
    name="kata",
    help="A dojo for ML and LLM coding interviews: start a kata, write it in your editor, check it.",
    no_args_is_help=True,
    rich_markup_mode="rich",
    add_completion=True,  # `kata --install-completion`; kata names complete (practice_cli.register)
    pretty_exceptions_enable=False,
)

# In a pipe (or a test runner) nothing is hard-wrapped: a path or a command cut across two
# lines cannot be copied. Error paragraphs are never hard-wrapped; the terminal wraps them.
console = Console(soft_wrap=not sys.stdout.isatty())
err_console = Console(stderr=True, soft_wrap=True)

MIN_TIMEOUT, MAX_TIMEOUT = 0.1, 3600.0
MIN_INTERVAL, MAX_INTERVAL = 0.1, 3600.0

WorkspaceOpt = typer.Option(None, "--workspace", "-w", help="Workspace folder (default: $KATA_HOME, else ~/kata).",
                            show_default=False)
JsonOpt = typer.Option(False, "--json", help="Print one JSON object instead of the report.")


def _check_environment() -> None:
    """Settings read from the environment are refused up front, like a bad option."""
    memory = os.environ.get("KATA_MEMORY_MB")
    if memory:
        try:
            valid = int(memory) >= 0
        except ValueError:
            valid = False
        if not valid:
            fail_usage(f"KATA_MEMORY_MB must be a whole number of megabytes (0 lifts the cap), not {memory!r}.")


def fail_usage(message: str) -> None:
    """A user mistake: one paragraph on stderr, exit code 2."""
    err_console.print(f"[bold red]error:[/] {message}", highlight=False)
    raise typer.Exit(2)


def _kata(name: str) -> Kata:
    try:
        return find(name)
    except UnknownKata as exc:
        fail_usage(str(exc))


def _global_workspace() -> Optional[Path]:
    """`kata --workspace DIR COMMAND`: the option given before the command."""
    import click

    ctx = click.get_current_context(silent=True)
    return ((ctx.find_root().obj or {}).get("workspace") if ctx is not None else None)


def _workspace(workspace: Optional[Path]) -> Workspace:
    ws = Workspace(resolve(workspace or _global_workspace()))
    try:
        str(ws.root).encode("utf-8")
    except UnicodeEncodeError:
        fail_usage(f"The workspace path {ascii(str(ws.root))} is not valid UTF-8 text; kata cannot store it. "
                   "Choose another with --workspace or KATA_HOME.")
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
    status: Optional[str] = typer.Option(None, "--status", "-s", help="new, started, passed, revealed or due."),
    as_json: bool = JsonOpt,
    workspace: Optional[Path] = WorkspaceOpt,
) -> None:
    """List the katas with your status and best time."""
    from .practice_cli import STATUSES, due_now, list_summary, review_cards

    if difficulty and difficulty not in DIFFICULTIES:
        fail_usage(f"Unknown difficulty `{difficulty}`: use one of {', '.join(DIFFICULTIES)}.")
    _known_tag(tag)
    katas = [k for k in all_katas() if (not tag or tag in k.tags) and (not difficulty or k.difficulty == difficulty)]
    if status and status not in STATUSES:
        fail_usage(f"Unknown status `{status}`: use one of {', '.join(STATUSES)}.")
    _, progress = _open(workspace)
    summaries = progress.all_summaries()
    due = due_now(review_cards(progress), clock()) if summaries else set()  # no history: nothing to review
    rows = []
    for k in katas:
        s = summaries.get(k.name)
        rows.append({"name": k.name, "title": k.title, "difficulty": k.difficulty, "tags": list(k.tags),
                     "aliases": list(k.aliases), "par_minutes": k.par_minutes,
                     "status": s.status if s else "new", "best_seconds": s.best_seconds if s else None,
                     "due": k.name in due})
    if status:
        rows = [r for r in rows if (r["due"] if status == "due" else r["status"] == status)]
    if as_json:
        print(json.dumps(rows, indent=2))
        return
    if not rows:
        console.print("No kata matches both filters.")
        return
    from .render import fmt_duration

    from rich import box

    # One line per kata (no wrapping): quicker to scan, and quicker to render.
    # Name, level, status and best time always fit; the title takes what is left (cut with an
    # ellipsis); aliases and tags where the terminal is wide enough. A pipe gets every column
    # whole: nothing there is cut or wrapped.
    piped = not console.is_terminal
    table = Table(title=plural(len(rows), "kata"), title_justify="left", box=box.SIMPLE_HEAD)
    show_aliases = piped or console.width >= 110
    show_tags = piped or console.width >= 150
    # Fixed widths in a terminal: left to itself, Rich squeezes whole columns (level, status)
    # out of a narrow table. The title gets what the others leave and ends in an ellipsis.
    fixed = [("name", max(len(r["name"]) for r in rows)), ("level", 6), ("status", 8), ("best", 7)]
    extra = [(col, width) for col, width, shown in (("aliases", 24, show_aliases), ("tags", 30, show_tags)) if shown]
    n_columns = len(fixed) + len(extra) + 1
    # each column has a space of padding on either side, a separator or an edge between
    title_width = max(12, console.width - sum(w for _, w in fixed + extra) - (3 * n_columns + 1))
    for col, width in fixed:
        table.add_column(col, no_wrap=True, width=None if piped else width)
    table.add_column("title", no_wrap=True, overflow="ellipsis", width=None if piped else title_width)
    for col, width in extra:
        table.add_column(col, no_wrap=True, overflow="ellipsis", max_width=None if piped else width)
    style = {"passed": "green", "started": "yellow", "revealed": "magenta", "new": "dim"}
    for r in rows:
        cells = [r["name"], r["difficulty"], f"[{style[r['status']]}]{r['status']}[/]",
                 fmt_duration(r["best_seconds"]) if r["best_seconds"] is not None else "—", r["title"]]
        table.add_row(*cells, *([", ".join(r["aliases"])] if show_aliases else []),
                      *([", ".join(r["tags"])] if show_tags else []))
    print_wide(console, table)
    if not show_aliases and any(r["aliases"] for r in rows):
        console.print("[dim]Aliases work wherever a name does; a wider terminal (or `kata show KATA`) shows them.[/]")
    console.print(list_summary(rows), highlight=False)


def _known_tag(tag: Optional[str]) -> None:
    tags = sorted({t for k in all_katas() for t in k.tags})
    if tag and tag not in tags:
        fail_usage(f"Unknown tag `{tag}`: use one of {', '.join(tags)}.")


def plural(n: int, word: str) -> str:
    return f"{n} {word}{'s' * (n != 1)}"


@app.command()
def show(kata: str = typer.Argument(..., help="Kata name or alias."),
         walkthrough: bool = typer.Option(False, "--walkthrough", help="The step-by-step walkthrough instead "
                                          "(shape tables, formulas); never during a mock of this kata."),
         workspace: Optional[Path] = WorkspaceOpt) -> None:
    """Show a kata's statement."""
    k = _kata(kata)
    if walkthrough:
        from .practice_cli import show_walkthrough

        return show_walkthrough(k, workspace)
    console.print(_kata_line(k), highlight=False)
    print_markdown(console, k.statement_path.read_text(encoding="utf-8"))


def _kata_line(k: Kata) -> str:
    also = f" · aliases: {', '.join(k.aliases)}" if k.aliases else ""
    return f"[dim]{k.name}{also} · {k.difficulty} · par {k.par_minutes:g} min · tags: {', '.join(k.tags)}[/]"


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
        note = _set_aside(ws, path, k)
    if fresh and path.exists():  # still the stub: no backup, but a new go (its clock starts now)
        progress.record(k.name, "fresh", {"file": str(path), "new_attempt": True})
        headline = f"Started [bold]{k.name}[/] again — {k.title}"
    elif create_exclusive(path, stub):
        progress.record(k.name, "fresh" if note else "start", {"file": str(path), "new_attempt": True})
        headline = f"Started [bold]{k.name}[/] — {k.title}"
    else:
        progress.record(k.name, "resume", {"file": str(path)})
        headline = f"Resuming [bold]{k.name}[/]: your attempt is kept as it is (use --fresh to start over)."
    print_markdown(console, k.statement_path.read_text(encoding="utf-8"))
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
                                            f"(default: the kata's, usually 10; {MIN_TIMEOUT:g} to "
                                            f"{MAX_TIMEOUT:g})."),
    record: bool = typer.Option(False, "--record", help="Record the check of a --file that is not your "
                                "attempt as practice (it is not recorded otherwise)."),
    workspace: Optional[Path] = WorkspaceOpt,
) -> None:
    """Grade your attempt. Exit code 0 when it passes, 1 when it fails, 2 on a usage error."""
    from .checking import grade_record_report
    from .runner import GradingInterrupted

    k = _kata(kata)
    if timeout is not None and not (math.isfinite(timeout) and MIN_TIMEOUT <= timeout <= MAX_TIMEOUT):
        fail_usage(f"--timeout must be a number of seconds from {MIN_TIMEOUT:g} to {MAX_TIMEOUT:g}, not {timeout:g}.")
    try:
        ws, progress = _open(workspace)
    except ProgressUnavailable as exc:
        _check_unrecorded(k, file, _workspace(workspace), exc, as_json, seed, timeout)
    target = _check_target(k, file, ws, progress, as_json, record)
    path, elapsed, tags = target.path, target.elapsed, target.tags
    if tags and not as_json:
        console.print(f"[dim]Mock interview #{tags['mock']}: grading {path}[/]")
    try:
        result = grade_record_report(console, progress, k, path, elapsed, as_json=as_json, seed=seed,
                                     timeout=timeout, record=target.not_recorded_because is None, **tags)
    except GradingInterrupted:
        err_console.print(INTERRUPTED)
        raise typer.Exit(130)
    if target.not_recorded_because and not as_json:
        console.print(f"[dim]Not recorded: {target.not_recorded_because}[/]", highlight=False)
    if not as_json and not result.passed and result.status != "error":
        remaining = len(k.hints) - progress.hints_taken(k.name, tags.get("mock"))
        if remaining > 0:
            console.print(f"[dim]Stuck? `kata hint {k.name}` ({remaining} hint{'s' * (remaining != 1)} left).[/]")
    raise typer.Exit(0 if result.passed else 1)


def _check_unrecorded(k: Kata, file: Optional[Path], ws: Workspace, why: Exception, as_json: bool,
                      seed: Optional[int], timeout: Optional[float]) -> None:
    """The progress file cannot be opened (locked, read-only, disk full): the verdict is still
    given, and it says that it was not recorded."""
    from .checking import add_not_run, result_json
    from .render import print_result
    from .runner import GradingInterrupted, grade_kata

    path = _gradable(k, file, ws.attempt_path(k.name))
    try:
        result = grade_kata(k, path, seed=seed, timeout=timeout)
    except GradingInterrupted:
        err_console.print(INTERRUPTED)
        raise typer.Exit(130)
    add_not_run(k, result)
    if as_json:
        print(json.dumps(result_json(result, recorded=False), indent=2))
    else:
        print_result(console, result)
    err_console.print(f"[yellow]warning:[/] this result was not recorded. {why}", highlight=False)
    raise typer.Exit(0 if result.passed else 1)


class Target(NamedTuple):
    path: Path  # absolute
    elapsed: Optional[float]  # seconds since its start (None: unknown)
    tags: dict  # event tags, e.g. {"mock": 3}
    not_recorded_because: Optional[str] = None  # None: the check is recorded


def _check_target(k: Kata, file: Optional[Path], ws: Workspace, progress: Progress,
                  as_json: bool = False, record: bool = False) -> Target:
    """What `check` and `watch` grade, and whether the check counts.

    The running mock's copy when the kata is part of it (its clock is the mock's); else the
    practice attempt (its clock starts at `kata start`). ``--file`` naming either of them is
    the same; ``--file`` naming another file is graded but recorded only with ``record``."""
    mock = _active_mock(progress, ws, as_json)
    own = mock.path(k.name) if mock is not None and k.name in mock.katas else ws.attempt_path(k.name)
    path = _gradable(k, file, own)
    if mock is not None and path == own.resolve() and k.name in mock.katas:
        return Target(path, clock() - mock.row["started_at"], {"mock": mock.id})
    started = progress.summary(k.name).started_at
    elapsed = clock() - started if started is not None else None
    if path == ws.attempt_path(k.name).resolve() or record:
        return Target(path, elapsed, {})
    return Target(path, elapsed, {}, f"{path} is not your attempt ({own}); `--record` counts it as practice.")


def _gradable(k: Kata, file: Optional[Path], own: Path) -> Path:
    """The absolute path to grade: a regular file (a folder, a FIFO or a device such as
    /dev/zero is refused before anything is read)."""
    path = (file if file is not None else own).expanduser().resolve()
    if not path.exists():
        hint = f"Run `kata start {k.name}` to create it." if file is None else "Check the path."
        fail_usage(f"There is no attempt to grade at {path}. {hint}")
    if path.is_dir():
        fail_usage(f"{path} is a folder; pass the attempt's .py file.")
    if not path.is_file():
        fail_usage(f"{path} is not a regular file (a device, a pipe or a socket); pass the attempt's .py file.")
    return path


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
        console.print(f"There are no more hints for {k.name}: you have unlocked all {len(k.hints)}. "
                      "Here they are again:", highlight=False)
        for i, text in enumerate(k.hints, 1):
            print_markdown(console, f"**Hint {i}/{len(k.hints)}.** {text}", style="dim")
        return
    progress.record(k.name, "hint", {"number": taken + 1})
    for i, text in enumerate(k.hints[: taken + 1], 1):
        style = "" if i == taken + 1 else "dim"
        print_markdown(console, f"**Hint {i}/{len(k.hints)}.** {text}", style=style)
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
        print_markdown(console, k.notes_path.read_text(encoding="utf-8"))


# --------------------------------------------------------------------------- mock interviews
# The mock machinery (scheduler, scorecards) is imported on first use: `kata list` must start fast.
from .mock_cli import mock_app  # noqa: E402

app.add_typer(mock_app, name="mock")

from .server_cli import server_app  # noqa: E402

app.add_typer(server_app, name="server")

from .practice_cli import register as _register_practice  # noqa: E402 - run, edit, config

_register_practice(app)


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


def Table(*args, **kwargs):  # noqa: N802 - rich.table is imported on first use
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


def _start_mock(ws, progress, minutes, count, tag, difficulty, seed, kata=None) -> "Mock":
    if difficulty and difficulty not in DIFFICULTIES:
        fail_usage(f"Unknown difficulty `{difficulty}`: use one of {', '.join(DIFFICULTIES)}.")
    _known_tag(tag)
    try:
        mock = _mocklib().start(ws, progress, clock(), minutes=minutes, count=count, tag=tag, difficulty=difficulty,
                                seed=seed, katas=kata or None)
    except _mocklib().MockError as exc:
        fail_usage(str(exc))
    if not kata and len(mock.katas) < count:
        err_console.print(f"[yellow]note:[/] only {plural(len(mock.katas), 'kata')} match, so the mock has "
                          f"{len(mock.katas)}, not {count}.", highlight=False)
    return mock


MinutesOpt = typer.Option(45.0, "--minutes", "-m", help="Length of the interview.")
CountOpt = typer.Option(3, "--count", "-n", help="How many katas.")
TagOpt = typer.Option(None, "--tag", "-t", help="Only katas with this tag.")
DifficultyOpt = typer.Option(None, "--difficulty", "-d", help="easy, medium or hard.")
SeedOpt = typer.Option(None, "--seed", help="Make the choice of katas reproducible.")
KataListOpt = typer.Option(None, "--kata", "-k", help="These katas, in this order (repeat the option); "
                           "--count, --tag and --difficulty are then ignored.")


@mock_app.callback()
def mock_main(ctx: typer.Context, minutes: float = MinutesOpt, count: int = CountOpt, tag: Optional[str] = TagOpt,
              difficulty: Optional[str] = DifficultyOpt, seed: Optional[int] = SeedOpt,
              kata: Optional[list[str]] = KataListOpt, workspace: Optional[Path] = WorkspaceOpt) -> None:
    """Run a timed mock interview in this terminal (resumes an unfinished one).

    Katas you never passed and katas due for review come first. Your mock files live in
    their own folder, so practice attempts stay untouched. Ctrl-C or closing the terminal
    keeps the session: run [bold]kata mock[/] again to resume with the right time left.
    """
    given = _given(ctx, MOCK_OPTIONS)
    if ctx.invoked_subcommand is not None:
        # `kata mock --minutes 10 start` is `kata mock start --minutes 10`; elsewhere they mean nothing.
        ctx.obj = {"workspace": workspace, "options": {name: value for name, value in
                                                        _mock_options(minutes, count, tag, difficulty, seed, kata).items()
                                                        if name in given}}
        if given and ctx.invoked_subcommand != "start":
            _ignored(given, f"they choose a new mock; `kata mock {ctx.invoked_subcommand}` does not")
        return
    ws, progress = _open(workspace)
    mock = _active_mock(progress, ws)
    if mock is None:
        mock = _start_mock(ws, progress, minutes, count, tag, difficulty, seed, kata)
    else:
        console.print(f"Resuming mock interview #{mock.id}.")
        if given:
            _ignored(given, f"they choose a new mock, and #{mock.id} is still running "
                            "(`kata mock finish` ends it)")
    _warm_up(ws)
    try:
        code = interactive(console, ws, progress, mock, clock, terminal_reader(console))
    except KeyboardInterrupt:
        console.print(f"\nPaused. The mock keeps running; `kata mock` resumes it.")
        raise typer.Exit(130)
    raise typer.Exit(code)


MOCK_OPTIONS = {"minutes": "--minutes", "count": "--count", "tag": "--tag", "difficulty": "--difficulty",
                "seed": "--seed", "kata": "--kata"}


def _mock_options(minutes, count, tag, difficulty, seed, kata=None) -> dict:
    return {"minutes": minutes, "count": count, "tag": tag, "difficulty": difficulty, "seed": seed, "kata": kata}


def _given(ctx: typer.Context, names: dict[str, str]) -> list[str]:
    """The options of ``names`` that the command line (or the environment) set."""
    from click.core import ParameterSource

    return [name for name in names
            if ctx.get_parameter_source(name) not in (None, ParameterSource.DEFAULT, ParameterSource.DEFAULT_MAP)]


def _ignored(names: list[str], why: str) -> None:
    flags = ", ".join(MOCK_OPTIONS[n] for n in names)
    err_console.print(f"[yellow]note:[/] {flags} {'was' if len(names) == 1 else 'were'} ignored: {why}.",
                      highlight=False)


def _ws_from(ctx: typer.Context, workspace: Optional[Path]) -> Optional[Path]:
    return workspace or (ctx.obj or {}).get("workspace")


@mock_app.command("start")
def mock_start(ctx: typer.Context, minutes: float = MinutesOpt, count: int = CountOpt, tag: Optional[str] = TagOpt,
               difficulty: Optional[str] = DifficultyOpt, seed: Optional[int] = SeedOpt, as_json: bool = JsonOpt,
               kata: Optional[list[str]] = KataListOpt, workspace: Optional[Path] = WorkspaceOpt) -> None:
    """Start a mock without the terminal loop (for scripts and editors)."""
    outer = (ctx.obj or {}).get("options", {})  # given before `start`; those after it win
    mine = _given(ctx, MOCK_OPTIONS)
    chosen = {**outer, **{name: value for name, value in _mock_options(minutes, count, tag, difficulty, seed,
                                                                       kata).items()
                          if name in mine or name not in outer}}
    ws, progress = _open(_ws_from(ctx, workspace))
    if _active_mock(progress, ws, as_json) is not None:
        fail_usage("A mock interview is already running: `kata mock status` shows it, `kata mock finish` ends it.")
    mock = _start_mock(ws, progress, **chosen)
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
    print_wide(console, mock_status(mock, now, _states(progress, mock)))


@mock_app.command("finish")
def mock_finish(ctx: typer.Context, as_json: bool = JsonOpt, workspace: Optional[Path] = WorkspaceOpt) -> None:
    """Grade every kata of the running mock once more and show the scorecard."""
    ws, progress = _open(_ws_from(ctx, workspace))
    mock = _mocklib().active(progress)
    if mock is None:
        fail_usage("No mock interview is running. `kata history` shows finished ones.")
    reason = "time ran out" if mock.expired(clock()) else "finished early"
    from .runner import GradingInterrupted

    try:
        finish_and_show(console, ws, progress, mock, clock(), grade_quietly, reason, as_json)
    except GradingInterrupted:
        err_console.print(INTERRUPTED + " The mock is still running; `kata mock finish` ends it.")
        raise typer.Exit(130)


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
        row = progress.mock(mock_id) if 0 < mock_id < 2**63 else None  # SQLite's integers
        if row is None or row["scorecard"] is None:
            fail_usage(f"There is no finished mock #{mock_id}. `kata history` lists them.")
        if as_json:
            print(json.dumps(row["scorecard"], indent=2))
        else:
            print_wide(console, scorecard(row["scorecard"]))
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
    print_wide(console, table)
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
    """Your practice and your mock interviews (apart): attempts, passes, times, hints and reveals
    per kata; coverage by tag."""
    from . import history as hist
    from .views import stats_view

    _, progress = _open(workspace)
    cycles = _kata_cycles(progress)
    # Practice and mock interviews apart: a mock pass is no practice best time.
    practice = {name: [c for c in cyc if c.mock is None] for name, cyc in cycles.items()}
    in_mocks = {name: [c for c in cyc if c.mock is not None] for name, cyc in cycles.items()}
    rows = [hist.stats(k.name, practice[k.name]) for k in all_katas() if practice.get(k.name)]
    mock_rows = [hist.stats(k.name, in_mocks[k.name]) for k in all_katas() if in_mocks.get(k.name)]
    coverage: dict[str, list[int]] = {}
    for k in all_katas():
        passed = any(c.passed for c in cycles.get(k.name, []))
        for tag in k.tags:
            entry = coverage.setdefault(tag, [0, 0])
            entry[0] += passed
            entry[1] += 1
    if as_json:
        print(json.dumps({"katas": [vars(r) for r in rows], "mock": [vars(r) for r in mock_rows],
                          "coverage": {t: {"passed": p, "total": n} for t, (p, n) in coverage.items()}},
                         indent=2))
        return
    if not rows and not mock_rows:
        console.print("No practice recorded yet. `kata start softmax` is a good first kata.")
    print_wide(console, stats_view(rows, {t: (p, n) for t, (p, n) in coverage.items()}, mock_rows))


@app.command("next")
def next_cmd(
    limit: int = typer.Option(5, "--limit", "-n", help="How many suggestions."),
    as_json: bool = JsonOpt,
    workspace: Optional[Path] = WorkspaceOpt,
) -> None:
    """What to practise today, and why (spaced repetition, SM-2 style)."""
    from .practice_cli import review_cards, upcoming_lines
    from .schedule import plan

    if limit < 1:
        fail_usage(f"--limit must be at least 1, not {limit}.")
    _, progress = _open(workspace)
    cards = review_cards(progress)
    suggestions = plan(cards, {k.name: k.difficulty for k in all_katas()}, clock(), limit)
    if as_json:
        print(json.dumps([vars(s) for s in suggestions], indent=2))
        return
    if not suggestions:
        console.print("Nothing is due today.")
    for i, s in enumerate(suggestions, 1):
        console.print(f"{i}. [bold]{s.kata}[/] — {find(s.kata).title}\n   [dim]{s.reason}[/]")
    upcoming = upcoming_lines(cards, clock(), limit)
    if upcoming:
        console.print("[bold]Upcoming reviews[/]\n" + "\n".join(f"  {line}" for line in upcoming), highlight=False)


@app.command()
def reset(
    kata: str = typer.Argument(..., help="Kata name or alias."),
    workspace: Optional[Path] = WorkspaceOpt,
) -> None:
    """Put the stub back, keeping your current attempt as a timestamped backup."""
    k = _kata(kata)
    ws, progress = _open(workspace)
    path = ws.attempt_path(k.name)
    if not path.exists() and progress.summary(k.name).status == "new":
        fail_usage(f"{k.name} is not started: there is nothing to reset. `kata start {k.name}` creates the attempt.")
    note = _set_aside(ws, path, k) if path.exists() else ""
    if not path.exists() and not create_exclusive(path, k.stub_path.read_text(encoding="utf-8")):
        fail_usage(f"{path} appeared while resetting; nothing was changed.")
    progress.record(k.name, "reset", {"file": str(path)})
    console.print(f"{path} is the stub again. {note}".rstrip(), highlight=False)


def _set_aside(ws: Workspace, path: Path, k: Kata) -> str:
    """Move the attempt to a timestamped backup, unless it is still the stub (a backup of the
    stub keeps nothing). Says what happened."""
    try:
        untouched = path.read_bytes() == k.stub_path.read_bytes()
    except OSError:
        untouched = False
    if untouched:
        return "It was still the stub, so no backup was made."
    return f"Your previous attempt is kept at {ws.move_aside(path, k.name)}."


@app.command()
def watch(
    kata: str = typer.Argument(..., help="Kata name or alias."),
    file: Optional[Path] = typer.Option(None, "--file", "-f", help="Watch this file instead of the workspace attempt."),
    interval: float = typer.Option(0.5, "--interval", help=f"With --poll (or where file-system events are "
                                   f"unavailable): seconds between looks at the file (at least {MIN_INTERVAL:g})."),
    poll: bool = typer.Option(False, "--poll", help="Look at the file every --interval seconds instead of "
                              "waiting for file-system events (for network drives and shared folders that "
                              "send none)."),
    workspace: Optional[Path] = WorkspaceOpt,
) -> None:
    """Check the attempt again every time you save it, on a cleared screen. Ctrl-C leaves."""
    from rich.markup import escape

    from .watch import fresh_screen, saves, watch_loop

    k = _kata(kata)
    # A floor: polling every few microseconds burns a core for nothing.
    if not (math.isfinite(interval) and MIN_INTERVAL <= interval <= MAX_INTERVAL):
        fail_usage(f"--interval must be a number of seconds from {MIN_INTERVAL:g} to {MAX_INTERVAL:g}, "
                   f"not {interval:g}.")
    ws, progress = _open(workspace)
    target = _check_target(k, file, ws, progress)
    _warm_up(ws)
    header = [f"Watching {escape(str(target.path))} — save to re-check, Ctrl-C to leave."]
    if target.not_recorded_because:
        header.append(f"[dim]Checks are not recorded: {target.not_recorded_because.split(';')[0]}.[/]")
    path = target.path

    def polling_instead(why: str) -> None:  # shown now and above every later report
        header.append(f"[dim]{escape(why)}[/]")
        console.print(header[-1], highlight=False)

    wakeups = None if poll else saves(path, interval, polling_instead)
    try:
        watch_loop(path, fresh_screen(console, header, lambda: _watch_grade(k, file, ws, progress)),
                   interval=interval, wakeups=wakeups)
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
    target = _check_target(k, file, ws, progress)
    try:  # a pass gets one line below, a failure the full report
        result = grade_record_report(console, progress, k, target.path, target.elapsed, show=False,
                                     record=target.not_recorded_because is None, watch=True, **target.tags)
    except GradingInterrupted:
        raise KeyboardInterrupt from None
    stamp = time.strftime("%H:%M:%S", time.localtime(clock()))
    if result.passed:
        console.print(f"[{stamp}] [bold green]✓ {k.name} passed[/]")
    else:
        from .render import print_result

        print_result(console, result, watching=True)
        console.print(f"[dim][{stamp}] waiting for the next save…[/]")


# --------------------------------------------------------------------------- entry
def _version(value: bool) -> None:
    if value:
        console.print(f"kata {__version__}")
        raise typer.Exit()


@app.callback()
def _root(ctx: typer.Context,
          version: bool = typer.Option(False, "--version", callback=_version, is_eager=True,
                                       help="Show the version and exit."),
          workspace: Optional[Path] = typer.Option(None, "--workspace", "-w", show_default=False,
                                                   help="Workspace folder for every command (default: "
                                                        "$KATA_HOME, else ~/kata); a command's own "
                                                        "--workspace wins.")) -> None:
    """A dojo for ML and LLM coding interviews.

    Start with [bold]kata list[/], then [bold]kata start softmax[/], edit the file it prints, and run
    [bold]kata check softmax[/].
    """
    ctx.obj = {"workspace": workspace}


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
