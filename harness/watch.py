"""Polling for saves: re-run a check whenever the file's modification time or size changes."""
from __future__ import annotations

import os
import time
from pathlib import Path
from typing import Callable


def signature(path: Path) -> tuple | None:
    try:
        st = os.stat(path)
    except FileNotFoundError:
        return None
    return (st.st_mtime_ns, st.st_size)


def watch_loop(path: Path, on_change: Callable[[], None], interval: float = 0.5,
               sleep: Callable[[float], None] = time.sleep, rounds: int | None = None) -> None:
    """Call ``on_change`` once now and after each save; ``rounds`` bounds the polls (tests)."""
    last = signature(path)
    on_change()
    polled = 0
    while rounds is None or polled < rounds:
        sleep(interval)
        polled += 1
        current = signature(path)
        if current is not None and current != last:
            last = current
            on_change()
