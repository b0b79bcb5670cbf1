"""One graded check as every command does it: grade, record (one transaction), report."""
from __future__ import annotations

import json
import sqlite3
from pathlib import Path

from rich.console import Console

from .catalog import Kata
from .progress import Progress, describe_failure


def grade_record_report(console: Console, progress: Progress, kata: Kata, path: Path, elapsed: float | None, *,
                        as_json: bool = False, seed: int | None = None, timeout: float | None = None,
                        show: bool = True, **tags):
    """Grade ``path``, store the check (and the pass) with ``tags`` (e.g. ``mock=3``), print the
    report or its JSON (unless ``show`` is false), and return the result. Raises ``GradingInterrupted`` on Ctrl-C, having
    recorded nothing."""
    from .render import print_result
    from .runner import grade_kata
    from .warm import socket_path

    # Through this workspace's warm grader when one is running (else cold, the same verdict).
    result = grade_kata(kata, path, seed=seed, timeout=timeout, elapsed=elapsed,
                        warm_socket=socket_path(Path(progress.path).parent))
    not_recorded = None
    try:
        progress.record_check(kata.name, result, path, elapsed, **tags)
    except sqlite3.Error as exc:  # locked, disk full, read-only: the verdict is still the news
        not_recorded = describe_failure(Path(progress.path), exc)
    if show and as_json:
        print(json.dumps({**result.to_json(), **({"recorded": False} if not_recorded else {})}, indent=2,
                         default=str))
    elif show:
        print_result(console, result)
    if not_recorded:
        Console(stderr=True).print(f"[yellow]warning:[/] this result was not recorded. {not_recorded}",
                                   highlight=False)
    return result
