"""Everyday practice commands: `kata run` (the "Run" button), `kata edit` and `kata config`.

Registered on the main app by :func:`register`. Like the rest of the command line, nothing
here imports numpy or torch: `kata run` evaluates the attempt in a child (harness.run_child).
"""
from __future__ import annotations

import json
import os
import shlex
import subprocess
import sys
import tomllib
from pathlib import Path
from typing import Optional

import typer

from .catalog import Kata

OUTPUT_LIMIT = 20_000  # characters of the child's output shown; the rest is counted
# The child stops the attempt itself after the time limit, counted from when the framework is
# imported (torch alone takes seconds on a busy machine); the parent kills it at this much more.
STARTUP_ALLOWANCE = 60.0


def register(app: typer.Typer) -> None:
    app.command("run")(run_cmd)
    app.command("edit")(edit_cmd)
    app.command("config")(config_cmd)
    app.info.cls = _completing(app.info.cls)


def complete_kata(ctx, param, incomplete: str) -> list:
    """Kata names (and aliases) for the shell: `kata show so<TAB>`. Reads only the manifests."""
    from click.shell_completion import CompletionItem

    from .catalog import all_katas

    out = []
    for k in all_katas():
        for name in (k.name, *k.aliases):
            if name.startswith(incomplete):
                out.append(CompletionItem(name, help=k.title if name == k.name else f"alias of {k.name}"))
    return out


def _completing(base):
    """The app's group class, with every parameter called ``kata`` completing kata names. Done
    when a command is looked up, so that it covers commands defined anywhere, and costs nothing
    until then."""

    class CompletingGroup(base):
        def get_command(self, ctx, name):
            command = super().get_command(ctx, name)
            commands = [command, *getattr(command, "commands", {}).values()]  # `kata mock start --kata`
            for param in (p for c in commands for p in getattr(c, "params", ())):
                if param.name == "kata" and param._custom_shell_complete is None:
                    param._custom_shell_complete = complete_kata
            return command

    return CompletingGroup


def _cli():
    from . import cli  # the main module (console, option types, helpers); imported late: it imports us

    return cli


# --------------------------------------------------------------------------- kata run
def example_spec(kata: Kata) -> dict:
    """The kata's example (the ``example`` role, see docs/AUTHORING.md); empty when it has none.
    It lives in its own file so that `kata list`, which parses every kata.toml, does not pay for it."""
    name = kata.files.get("example")
    if not name or not (kata.folder / name).is_file():
        return {}
    with open(kata.folder / name, "rb") as fh:
        return tomllib.load(fh)


def run_example(kata: Kata, attempt: Path, literal: Optional[str] = None,
                timeout: Optional[float] = None) -> tuple[int, str]:
    """Run the example (or ``literal`` as its inputs) on ``attempt`` in a child process.

    Returns (exit code, output): 0 when every call returned, 1 when the attempt failed or ran
    out of time, 2 when the input could not be used."""
    from .runner import PACKAGE_PARENT, _kill_group_id, memory_limit_mb
    from .warm import child_env

    timeout = kata.timeout if timeout is None else timeout
    argv = [sys.executable, "-m", "harness.run_child", "--attempt", str(Path(attempt).resolve()),
            "--framework", kata.framework, "--spec", json.dumps(example_spec(kata)), "--timeout", str(timeout),
            "--memory-mb", str(memory_limit_mb()), "--cpu-seconds", str(int(timeout + STARTUP_ALLOWANCE) + 5),
            "--parent-pid", str(os.getpid())]
    if literal is not None:
        argv += ["--input", literal]
    proc = subprocess.Popen(argv, cwd=PACKAGE_PARENT, env=child_env(), stdin=subprocess.DEVNULL,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, start_new_session=True)
    try:
        out, _ = proc.communicate(timeout=timeout + STARTUP_ALLOWANCE)
        code = proc.returncode
    except subprocess.TimeoutExpired:
        _kill_group_id(proc.pid)
        out, _ = proc.communicate()
        return 1, out.decode(errors="replace") + (f"stopped after {timeout + STARTUP_ALLOWANCE:g} s: the "
                                                  "time limit did not interrupt your code (a long native "
                                                  "call?)\n")
    except KeyboardInterrupt:
        _kill_group_id(proc.pid)
        raise
    finally:
        _kill_group_id(proc.pid)  # whatever the attempt started ends with it
    text = out.decode(errors="replace")
    if len(text) > OUTPUT_LIMIT:
        text = text[:OUTPUT_LIMIT] + f"\n… {len(text) - OUTPUT_LIMIT} more characters not shown\n"
    if code not in (0, 1, 2):
        text += f"the process ended with code {code}: your code ended it (os._exit, a crash, or out of memory)\n"
        code = 1
    return code, text


def run_cmd(
    kata: str = typer.Argument(..., help="Kata name or alias."),
    file: Optional[Path] = typer.Option(None, "--file", "-f", help="Run this file instead of the workspace attempt."),
    input: Optional[str] = typer.Option(None, "--input", "-i", help="Your own input, as a Python literal "
                                        "(a tuple for several values); nested lists become arrays."),
    timeout: Optional[float] = typer.Option(None, "--timeout", help="Seconds before the run is stopped."),
    workspace: Optional[Path] = typer.Option(None, "--workspace", "-w", help="Workspace folder.",
                                             show_default=False),
) -> None:
    """Run your attempt on the statement's example (or on --input) and print what it returns.

    Nothing is graded or recorded. Exit code 0 when every call returned, 1 when your code
    raised or ran out of time, 2 on a usage error.
    """
    from .run_child import InputError, bind_inputs, parse_literal

    cli = _cli()
    k = cli._kata(kata)
    spec = example_spec(k)
    if not spec:
        cli.fail_usage(f"{k.name} has no runnable example yet; `kata check {k.name}` grades it.")
    if timeout is not None and timeout <= 0:
        cli.fail_usage("--timeout must be a positive number of seconds.")
    if input is not None:
        names = list(spec.get("inputs", {}))
        try:
            bind_inputs(names, parse_literal(input))
        except InputError as exc:
            cli.fail_usage(f"{exc}. {input_help(k, spec)}")
    path = _attempt_to_run(cli, k, file, workspace)
    cli.console.print(f"[dim]Running {path} on {'your input' if input is not None else 'the example'} "
                      "(not graded)[/]", highlight=False)
    code, text = run_example(k, path, input, timeout)
    sys.stdout.write(text)
    sys.stdout.flush()
    if code == 2:
        cli.err_console.print(input_help(k, spec), highlight=False)
    raise typer.Exit(code)


def input_help(kata: Kata, spec: dict) -> str:
    inputs = spec.get("inputs", {})
    what = ", ".join(f"{name} ({kind})" for name, kind in inputs.items())
    shape = inputs and (next(iter(inputs)) if len(inputs) == 1 else f"({', '.join(inputs)})")
    return (f"For {kata.name}, --input gives {shape}: {what}; it replaces the example's values in "
            f"`{_first_call(spec)}`.")


def _first_call(spec: dict) -> str:
    call = spec.get("call", "")
    return call[0] if isinstance(call, list) else call


def _attempt_to_run(cli, k: Kata, file: Optional[Path], workspace: Optional[Path]) -> Path:
    """--file, else the running mock's copy when the kata is part of it, else the practice attempt.
    Nothing is recorded, so the progress file is only read (for the mock)."""
    if file is not None:
        path = file
    else:
        ws, progress = cli._open(workspace)
        path = ws.attempt_path(k.name)
        try:
            mock = cli._mocklib().active(progress)
        except Exception:  # noqa: BLE001 - `run` works even when the progress file cannot be read
            mock = None
        if mock is not None and k.name in mock.katas and not mock.expired(cli.clock()):
            path = mock.path(k.name)
    if not path.exists():
        hint = f"Run `kata start {k.name}` to create it." if file is None else "Check the path."
        cli.fail_usage(f"There is no attempt to run at {path}. {hint}")
    if path.is_dir():
        cli.fail_usage(f"{path} is a folder; pass the attempt's .py file.")
    return path


# --------------------------------------------------------------------------- kata edit
def editor_command() -> list[str]:
    """``$VISUAL``, else ``$EDITOR`` (either may carry arguments, e.g. ``code --wait``), else a
    sensible default for the platform."""
    for var in ("VISUAL", "EDITOR"):
        value = os.environ.get(var, "").strip()
        if value:
            return shlex.split(value)
    return ["notepad"] if sys.platform.startswith("win") else ["vi"]


def edit_cmd(
    kata: str = typer.Argument(..., help="Kata name or alias."),
    workspace: Optional[Path] = typer.Option(None, "--workspace", "-w", help="Workspace folder.",
                                             show_default=False),
) -> None:
    """Open your attempt in $VISUAL / $EDITOR (starting the kata first if needed)."""
    from .workspace import create_exclusive

    cli = _cli()
    k = cli._kata(kata)
    ws, progress = cli._open(workspace)
    mock = cli._active_mock(progress, ws)
    if mock is not None and k.name in mock.katas:
        path = mock.path(k.name)  # the mock's copy is the one `kata check` grades now
    else:
        path = ws.attempt_path(k.name)
        if create_exclusive(path, k.stub_path.read_text(encoding="utf-8")):
            progress.record(k.name, "start", {"file": str(path), "new_attempt": True})
            cli.console.print(f"Started [bold]{k.name}[/] — {k.title}. `kata show {k.name}` prints the statement.")
    command = editor_command() + [str(path)]
    try:
        code = subprocess.call(command)
    except FileNotFoundError:
        cli.fail_usage(f"The editor `{command[0]}` was not found. Set $VISUAL or $EDITOR "
                       f"(e.g. `export EDITOR=nano`), or open {path} yourself.")
    if code != 0:
        cli.err_console.print(f"[yellow]warning:[/] the editor exited with code {code}.", highlight=False)
    cli.console.print(f"Check [bold]kata check {k.name}[/]   Run [bold]kata run {k.name}[/]")


# --------------------------------------------------------------------------- kata config
def config_cmd(
    key: Optional[str] = typer.Argument(None, help="The setting to show or change."),
    value: Optional[str] = typer.Argument(None, help="Its new value."),
    workspace: Optional[Path] = typer.Option(None, "--workspace", "-w", help="Workspace folder.",
                                             show_default=False),
) -> None:
    """Show or change this workspace's settings (`kata config teaching off`)."""
    from . import config

    cli = _cli()
    ws = cli._workspace(workspace)
    if key is None:
        for name, setting in config.SETTINGS.items():
            current, source = config.get(ws.state_dir, name)
            cli.console.print(f"{name} = {current}   [dim]({source}; {setting.help})[/]", highlight=False)
        return
    try:
        if value is None:
            current, source = config.get(ws.state_dir, key)
            cli.console.print(f"{key} = {current}   [dim]({source})[/]", highlight=False)
            return
        stored = config.set_value(ws.state_dir, key, value)
    except config.ConfigError as exc:
        cli.fail_usage(str(exc))
    cli.console.print(f"{key} = {stored}   [dim](saved in {config.path(ws.state_dir)})[/]", highlight=False)
    env = config.SETTINGS[key].env
    if env and os.environ.get(env):
        cli.err_console.print(f"[yellow]note:[/] ${env} is set and overrides this setting.", highlight=False)


# --------------------------------------------------------------------------- kata show --walkthrough
def walkthrough_path(kata: Kata) -> Optional[Path]:
    """The kata's walkthrough (shape tables, formulas, the steps), a role declared in kata.toml."""
    name = kata.files.get("walkthrough")
    return kata.folder / name if name else None


def show_walkthrough(kata: Kata, workspace: Optional[Path]) -> None:
    """`kata show --walkthrough`: refused while a mock of this kata runs (an interviewer would not
    hand it over either)."""
    cli = _cli()
    path = walkthrough_path(kata)
    ws, progress = cli._open(workspace)
    mock = cli._active_mock(progress, ws)
    if mock is not None and kata.name in mock.katas:
        cli.fail_usage(f"{kata.name} is part of the running mock interview #{mock.id}: no walkthrough "
                       "until it is finished (`kata hint` costs points but helps).")
    if path is None or not path.is_file():
        cli.console.print(f"{kata.name} has no walkthrough; `kata hint {kata.name}` gives hints one at a time.")
        return
    cli.print_markdown(cli.console, path.read_text(encoding="utf-8"))


# --------------------------------------------------------------------------- reviews (list, next)
STATUSES = ("new", "started", "passed", "revealed", "due")


def review_cards(progress) -> dict:
    """Each kata's spaced-repetition card, replayed from its history (as `kata next` plans)."""
    from . import history as hist
    from .catalog import all_katas
    from .schedule import replay

    cycles = _cli()._kata_cycles(progress)
    return {k.name: replay(k.name, hist.reviews(cycles.get(k.name, []), k.par_minutes)) for k in all_katas()}


def due_now(cards: dict, now: float) -> set[str]:
    return {name for name, card in cards.items() if card.due is not None and card.due <= now}


def list_summary(rows: list[dict]) -> str:
    """`kata list`'s last line: how far along you are, and what wants reviewing."""
    passed = sum(r["status"] == "passed" for r in rows)
    due = sum(bool(r.get("due")) for r in rows)
    text = f"{passed} of {len(rows)} passed"
    return text + (f" · {due} due for review (`kata next`)" if due else " · nothing due for review")


def upcoming_lines(cards: dict, now: float, limit: int) -> list[str]:
    """The next reviews after today, soonest first: date, kata, days to wait, and the gap."""
    import time

    from .schedule import DAY

    later = sorted((c.due, name) for name, c in cards.items() if c.due is not None and c.due > now)
    lines = []
    for due, name in later[:limit]:
        days = (due - now) / DAY
        when = "tomorrow" if days <= 1 else f"in {days:.0f} days"
        lines.append(f"{time.strftime('%Y-%m-%d', time.localtime(due))}  {name}  ({when}; "
                     f"last time {cards[name].last.why})")
    return lines
