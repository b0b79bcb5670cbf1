"""One graded check as every command does it: grade, record (one transaction), report."""
from __future__ import annotations

import json
import sqlite3
from pathlib import Path

from rich.console import Console

from .catalog import Kata
from .progress import Progress, describe_failure

# What every command says when Ctrl-C stops a grading (the child is killed, nothing recorded).
INTERRUPTED = "Interrupted: the check was stopped and nothing was recorded."


def grade_record_report(console: Console, progress: Progress, kata: Kata, path: Path, elapsed: float | None, *,
                        as_json: bool = False, seed: int | None = None, timeout: float | None = None,
                        show: bool = True, record: bool = True, **tags):
    """Grade ``path``, store the check (and the pass) with ``tags`` (e.g. ``mock=3``) unless
    ``record`` is false, print the report or its JSON (unless ``show`` is false), and return the
    result. Raises ``GradingInterrupted`` on Ctrl-C, having recorded nothing."""
    from .render import print_result
    from .runner import grade_kata
    from .warm import socket_path

    # Through this workspace's warm grader when one is running (else cold, the same verdict).
    result = grade_kata(kata, path, seed=seed, timeout=timeout, elapsed=elapsed,
                        warm_socket=socket_path(Path(progress.path).parent))
    add_not_run(kata, result)
    not_recorded = None
    if record:
        try:
            progress.record_check(kata.name, result, path, elapsed, **tags)
        except sqlite3.Error as exc:  # locked, disk full, read-only: the verdict is still the news
            not_recorded = describe_failure(Path(progress.path), exc)
    if show and as_json:
        print(json.dumps(result_json(result, recorded=record and not not_recorded), indent=2))
    elif show:
        print_result(console, result)
    if not_recorded:
        Console(stderr=True).print(f"[yellow]warning:[/] this result was not recorded. {not_recorded}",
                                   highlight=False)
    return result


# What a failed check carries besides its message, when the grader knows it.
FAILURE_KEYS = ("case", "expected", "got", "diff", "line", "source_line", "forbidden")
NOT_RUN = "not_run"

_CHECK_NAMES = """
import importlib.util, json, sys
spec = importlib.util.spec_from_file_location("kata_grader", sys.argv[1])
module = importlib.util.module_from_spec(spec)
sys.modules["kata_grader"] = module
spec.loader.exec_module(module)
from harness.engine.child import FORBIDDEN_ROW
g = module.grader
print(json.dumps(([FORBIDDEN_ROW] if g.forbidden or g.forbid_half_power else []) + [c.name for c in g.checks]))
"""


def check_names(kata: Kata) -> list[str] | None:
    """Every check the kata's grader declares, in order (None if they cannot be listed). Asked
    of a separate interpreter: the grader imports the kata's framework, which `kata` itself
    never does."""
    import subprocess
    import sys

    from .warm import child_env

    try:
        out = subprocess.run([sys.executable, "-c", _CHECK_NAMES, str(kata.grader_path)], env=child_env(),
                             capture_output=True, text=True, timeout=60, stdin=subprocess.DEVNULL)
        names = json.loads(out.stdout) if out.returncode == 0 else None
    except (OSError, subprocess.SubprocessError, json.JSONDecodeError):
        return None
    return names if isinstance(names, list) and all(isinstance(n, str) for n in names) else None


def add_not_run(kata: Kata, result) -> None:
    """A grading stopped by the time limit (or a crash) lists the checks it never reached as
    "not run", so that "1 of 2 checks failed" never hides three more."""
    from .runner import CheckRow

    if result.status not in ("timeout", "crashed"):
        return
    names = check_names(kata)
    if not names:
        return
    seen = {row.name for row in result.checks}
    why = "the time limit stopped the grading first" if result.status == "timeout" else \
        "the grading process ended first"
    result.checks.extend(CheckRow(name, False, NOT_RUN, f"not run: {why}") for name in names if name not in seen)


def result_json(result, recorded: bool) -> dict:
    """``kata check --json``: the result, every failed check with what the grader knows of its
    case (input, expected, got, diff, line), and whether it was recorded."""
    data = result.to_json()
    for row, out in zip(result.checks, data["checks"]):
        if row.status not in ("passed", "skipped"):
            out.update({k: row.details[k] for k in FAILURE_KEYS if row.details.get(k) is not None})
    data["recorded"] = recorded
    return json.loads(json.dumps(data, default=str))
