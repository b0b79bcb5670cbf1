"""`kata check` starts its grading before the command line's own imports.

A cold check is two start-ups: the `kata` process (Typer, Rich, the catalogue, the progress
database) and the grading child (Python, numpy or torch, the engine). Run one after the other
they cost about twice one of them. So the very first thing `kata check KATA` does, before it
imports Typer or Rich, is to read its own arguments, find the attempt and start the grading (a
fresh child, or a fork of the workspace's warm grader); `runner.grade_kata` then adopts that
run when it is asked for the same grading, and kills it otherwise (e.g. a running mock
interview grades its own copy of the file). Anything unusual in the arguments (an option this
parser does not know, a missing file, a bad number) starts nothing here: the command line then
does as it always did, and reports the mistake itself.
"""
from __future__ import annotations

import math
import os
import sys

# The options of `kata check` that take a value, and the flags it knows.
_VALUED = {"--file": "file", "-f": "file", "--seed": "seed", "--timeout": "timeout", "--workspace": "workspace",
           "-w": "workspace"}
_FLAGS = {"--json"}


def parse_check(argv: list[str]) -> dict | None:
    """``{"kata", "file", "seed", "timeout", "workspace"}`` for a plain ``check KATA [options]``
    command line, else None."""
    if not argv or argv[0] != "check":
        return None
    opts: dict = {"kata": None, "file": None, "seed": None, "timeout": None, "workspace": None}
    args = iter(argv[1:])
    for arg in args:
        name, eq, value = arg.partition("=")
        if name in _VALUED and name.startswith("--") and eq:
            opts[_VALUED[name]] = value
        elif arg in _VALUED:
            value = next(args, None)
            if value is None:
                return None
            opts[_VALUED[arg]] = value
        elif arg in _FLAGS:
            continue
        elif arg.startswith("-") or opts["kata"] is not None:
            return None  # --help, an option we do not know, a second name: the CLI decides
        else:
            opts["kata"] = arg
    if opts["kata"] is None:
        return None
    try:
        opts["seed"] = None if opts["seed"] is None else int(opts["seed"])
        opts["timeout"] = None if opts["timeout"] is None else float(opts["timeout"])
    except ValueError:
        return None
    if opts["timeout"] is not None and not (opts["timeout"] > 0 and math.isfinite(opts["timeout"])):
        return None
    return opts


def invoked_as_kata() -> bool:
    """This process is the `kata` command (its console script or `python -m harness`), not a
    program that imports the package (a test runner, an editor plug-in)."""
    prog = sys.argv[0] if sys.argv else ""
    return os.path.basename(prog) in ("kata", "kata.exe") or prog.endswith(os.path.join("harness", "__main__.py"))


def find_one(name: str):
    """The kata, reading only its own kata.toml when the name is a kata's (not an alias): the
    whole catalogue costs some 15 ms more (before the grading could start, and again in `check`)."""
    from .catalog import _load, find
    from .paths import katas_root

    folder = katas_root() / name.strip().lower().replace("-", "_")
    if folder.name == name.strip().lower().replace("-", "_") and (folder / "kata.toml").is_file():
        return _load(folder)
    return find(name)


def start_check_early(argv: list[str] | None = None) -> bool:
    """Start the grading of ``kata check …`` now; True when a run was started."""
    opts = parse_check(sys.argv[1:] if argv is None else argv)
    if opts is None:
        return False
    from pathlib import Path

    from .workspace import Workspace, resolve

    try:
        kata = find_one(opts["kata"])
        ws = Workspace(resolve(opts["workspace"]))
        path = Path(opts["file"]) if opts["file"] is not None else ws.attempt_path(kata.name)
        if not path.is_file():
            return False
    except (LookupError, OSError, RuntimeError):  # unknown kata, no home folder: the CLI says so
        return False
    from . import runner
    from .warm import socket_path

    try:
        runner.prelaunch(kata, path, seed=opts["seed"], timeout=opts["timeout"],
                         warm_socket=socket_path(ws.state_dir))
    except Exception:  # noqa: BLE001 - e.g. no process could start: the CLI tries again and reports it
        return False
    return True
