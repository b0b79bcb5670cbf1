"""The `kata` command line (Typer + Rich).

Nothing here imports numpy or torch: grading happens in a child process (harness.runner).
"""
from __future__ import annotations

import json
import sys
import time
from pathlib import Path
from typing import Optional

import typer
from rich.console import Console
from rich.markdown import Markdown
from rich.table import Table

from . import __version__
from .catalog import DIFFICULTIES, Kata, UnknownKata, all_katas, find
from .progress import Progress
from .workspace import Workspace, create_exclusive, resolve

app = typer.Typer(
    name="kata",
    help="A dojo for ML and LLM coding interviews: start a kata, write it in your editor, check it.",
    no_args_is_help=True,
    rich_markup_mode="rich",
    add_completion=False,
    pretty_exceptions_enable=False,
)

console = Console()
err_console = Console(stderr=True)

WorkspaceOpt = typer.Option(None, "--workspace", "-w", help="Workspace folder (default: $KATA_HOME, else ~/kata).",
                            show_default=False)
JsonOpt = typer.Option(False, "--json", help="Print one JSON object instead of the report.")


def fail_usage(message: str) -> None:
    """A user mistake: one paragraph on stderr, exit code 2."""
    err_console.print(f"[bold red]error:[/] {message}", highlight=False)
    raise typer.Exit(2)


def _kata(name: str) -> Kata:
    try:
        return find(name)
    except UnknownKata as exc:
        fail_usage(str(exc))


def _open(workspace: Optional[Path]) -> tuple[Workspace, Progress]:
    ws = Workspace(resolve(workspace))
    ws.ensure()
    return ws, Progress(ws.db_path, warn=lambda m: err_console.print(f"[yellow]warning:[/] {m}"))


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

    table = Table(title=f"{len(rows)} katas", title_justify="left")
    for col in ("name", "title", "difficulty", "tags", "status", "best"):
        table.add_column(col, no_wrap=col in ("name", "status", "best"))
    style = {"passed": "green", "started": "yellow", "revealed": "magenta", "new": "dim"}
    for r in rows:
        table.add_row(r["name"], r["title"], r["difficulty"], ", ".join(r["tags"]),
                      f"[{style[r['status']]}]{r['status']}[/]",
                      fmt_duration(r["best_seconds"]) if r["best_seconds"] is not None else "—")
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
    from .runner import GradingInterrupted, grade_kata

    k = _kata(kata)
    ws, progress = _open(workspace)
    path = file if file is not None else ws.attempt_path(k.name)
    if not path.exists():
        hint = f"Run `kata start {k.name}` to create it." if file is None else "Check the path."
        fail_usage(f"There is no attempt to grade at {path}. {hint}")
    if path.is_dir():
        fail_usage(f"{path} is a folder; pass the attempt's .py file.")
    if timeout is not None and timeout <= 0:
        fail_usage("--timeout must be a positive number of seconds.")
    summary = progress.summary(k.name)
    now = clock()
    elapsed = now - summary.started_at if summary.started_at is not None else None
    try:
        result = grade_kata(k, path, seed=seed, timeout=timeout, elapsed=elapsed)
    except GradingInterrupted:
        err_console.print("Interrupted: the check was stopped and nothing was recorded.")
        raise typer.Exit(130)
    progress.record(k.name, "check", {"status": result.status, "file": str(path), "seed": result.seed})
    if result.passed:
        progress.record(k.name, "pass", {"seconds": elapsed, "file": str(path)})
    if as_json:
        print(json.dumps(result.to_json(), indent=2, default=str))
    else:
        from .render import print_result

        print_result(console, result)
        if not result.passed and result.status not in ("error",):
            remaining = len(k.hints) - summary.hints
            if remaining > 0:
                console.print(f"[dim]Stuck? `kata hint {k.name}` ({remaining} hint{'s' * (remaining != 1)} left).[/]")
    raise typer.Exit(0 if result.passed else 1)


# --------------------------------------------------------------------------- hint / reveal
@app.command()
def hint(
    kata: str = typer.Argument(..., help="Kata name or alias."),
    workspace: Optional[Path] = WorkspaceOpt,
) -> None:
    """Show the next hint (hints unlock one at a time and are counted)."""
    k = _kata(kata)
    _, progress = _open(workspace)
    if not k.hints:
        console.print(f"{k.name} has no hints.")
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
    _, progress = _open(workspace)
    summary = progress.summary(k.name)
    if summary.passes == 0 and not yes:
        if not sys.stdin.isatty():
            fail_usage(f"You have not passed {k.name} yet. Pass --yes to reveal the solution anyway.")
        if not typer.confirm(f"You have not passed {k.name} yet. Reveal the solution anyway?", default=False):
            console.print("Not revealed.")
            raise typer.Exit(1)
    progress.record(k.name, "reveal", {"after_pass": summary.passes > 0})
    console.print(f"[bold]Reference solution: {k.name}[/] — {k.title}")
    console.print(Syntax(k.solution_path.read_text(encoding="utf-8"), "python", line_numbers=False,
                         theme="ansi_dark", word_wrap=True))
    if k.notes_path.exists():
        console.print(Markdown(k.notes_path.read_text(encoding="utf-8")))


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


if __name__ == "__main__":
    main()
