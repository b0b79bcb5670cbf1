"""`kata server start|stop|status`: the warm grader of a workspace (see harness/warm.py)."""
from __future__ import annotations

import json
import sys
import time
from pathlib import Path
from typing import Optional

import typer
from rich.console import Console

from .workspace import Workspace, resolve

server_app = typer.Typer(help="The warm grader: checks in a fraction of a second (torch imported once).",
                         no_args_is_help=True)
# In a pipe (or a test runner) nothing is hard-wrapped: a path or a command cut across two
# lines cannot be copied. Error paragraphs are never hard-wrapped; the terminal wraps them.
console = Console(soft_wrap=not sys.stdout.isatty())
err_console = Console(stderr=True, soft_wrap=True)

WorkspaceOpt = typer.Option(None, "--workspace", "-w", help="Workspace folder (default: $KATA_HOME, else ~/kata).",
                            show_default=False)


def _state_dir(workspace: Optional[Path]) -> Path:
    ws = Workspace(resolve(workspace))
    ws.ensure()
    return ws.state_dir


@server_app.command("start")
def start_cmd(idle_minutes: float = typer.Option(15.0, "--idle-minutes", help="Stop after this long without a check."),
              as_json: bool = typer.Option(False, "--json"), workspace: Optional[Path] = WorkspaceOpt) -> None:
    """Start the warm grader for this workspace; returns once it is ready."""
    from . import warm

    if not (idle_minutes > 0 and idle_minutes < 7 * 24 * 60):
        err_console.print("[bold red]error:[/] --idle-minutes must be a number of minutes between 0 and a week.")
        raise typer.Exit(2)
    try:
        status = warm.start(_state_dir(workspace), idle=idle_minutes * 60)
    except warm.Unavailable as exc:
        err_console.print(f"[bold red]error:[/] the warm grader could not start: {exc}. `kata check` still works "
                          "(cold, a fresh process per check).")
        raise typer.Exit(1)
    if as_json:
        print(json.dumps(status))
    else:
        console.print(f"Warm grader ready (pid {status['pid']}): `kata check` now forks from it. It stops after "
                      f"{idle_minutes:g} idle minutes, or with `kata server stop`.")


@server_app.command("stop")
def stop_cmd(workspace: Optional[Path] = WorkspaceOpt) -> None:
    """Stop the warm grader of this workspace."""
    from . import warm

    stopped = warm.stop(_state_dir(workspace))
    console.print("Warm grader stopped." if stopped else "No warm grader was running.")


@server_app.command("status")
def status_cmd(as_json: bool = typer.Option(False, "--json"), workspace: Optional[Path] = WorkspaceOpt) -> None:
    """Is a warm grader running for this workspace? Exit 0 if so, 1 if not."""
    from . import warm

    try:
        status = warm.ping(warm.socket_path(_state_dir(workspace)))
    except warm.Unavailable:
        status = None
    current = status is not None and status.get("fingerprint") == warm.fingerprint()
    if as_json:
        print(json.dumps({"running": status is not None, "current": current, **(status or {})}))
    elif status is None:
        console.print("No warm grader is running: checks start a fresh process (`kata server start`).")
    else:
        up = time.time() - status["started"]
        note = "" if current else " It runs older code and will be replaced at the next `kata server start`."
        console.print(f"Warm grader running (pid {status['pid']}, up {up / 60:.0f} min, {status['checks']} checks)."
                      + note)
    raise typer.Exit(0 if status is not None else 1)
