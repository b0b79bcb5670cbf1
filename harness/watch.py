"""Re-run a check whenever a file is saved: woken by file-system events (watchfiles), or by
polling the file's modification time and size where events are unavailable."""
from __future__ import annotations

import os
import time
from pathlib import Path
from typing import Callable, Iterable, Iterator

Notice = Callable[[str], None]
# The watch begins after the first check: one look this long after it catches a save made during it.
FIRST_LOOK_SECONDS = 2.0


def signature(path: Path) -> tuple | None:
    try:
        st = os.stat(path)
    except FileNotFoundError:
        return None
    return (st.st_mtime_ns, st.st_size)


def polls(interval: float, sleep: Callable[[float], None] = time.sleep, rounds: int | None = None) -> Iterator[None]:
    """A wake-up every ``interval`` seconds; ``rounds`` bounds them (tests)."""
    done = 0
    while rounds is None or done < rounds:
        sleep(interval)
        done += 1
        yield


def saves(path: Path, interval: float, notice: Notice = lambda message: None) -> Iterator[None]:
    """A wake-up after each batch of file-system events that touch ``path``.

    The folder is watched, not the file: editors often save by writing a new file and renaming
    it over the old one, which a watch on the old file would miss. Where events cannot be had
    (watchfiles missing, no inotify watches left, the folder gone), ``notice`` is told why and
    the file is polled every ``interval`` seconds instead."""
    try:
        import watchfiles
    except ImportError:
        notice(f"watchfiles is not installed: looking at the file every {interval:g} s instead.")
        yield from polls(interval)
        return
    name = path.name
    looked_once = False
    try:
        # Events are grouped until 50 ms pass without one (an editor's save is several writes).
        for changes in watchfiles.watch(path.parent, watch_filter=lambda change, where: Path(where).name == name,
                                        recursive=False, step=50, rust_timeout=int(FIRST_LOOK_SECONDS * 1000),
                                        yield_on_timeout=True, raise_interrupt=True):
            if changes or not looked_once:
                looked_once = True
                yield
    except (OSError, RuntimeError) as exc:  # watchfiles' own errors are RuntimeErrors
        notice(f"file-system events stopped ({exc}): looking at the file every {interval:g} s instead.")
        yield from polls(interval)


def watch_loop(path: Path, on_change: Callable[[], None], interval: float = 0.5,
               sleep: Callable[[float], None] = time.sleep, rounds: int | None = None,
               wakeups: Iterable[None] | None = None) -> None:
    """Call ``on_change`` once now and after each save. ``wakeups`` says when to look at the file
    again (default: polling every ``interval`` seconds); a wake-up that finds the file unchanged
    or gone (half-way through an editor's rename) re-checks nothing."""
    last = signature(path)
    on_change()
    for _ in (wakeups if wakeups is not None else polls(interval, sleep, rounds)):
        current = signature(path)
        if current is not None and current != last:
            last = current
            on_change()


def fresh_screen(console, header: list[str], run: Callable[[], None]) -> Callable[[], None]:
    """``run`` on a cleared screen under the ``header`` lines (read at each run: a note added
    later stays on screen): one current report, not a growing scroll. Rich clears only a
    terminal; a pipe or a log keeps every report, one after the other."""

    def rerun() -> None:
        console.clear()
        for line in header:
            console.print(line, highlight=False)
        run()

    return rerun
