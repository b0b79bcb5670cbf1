"""Peak memory of one call, for katas that promise a memory bound (numpy attempts).

``tracemalloc`` sees every allocation made through Python's allocators, numpy's array data
included (numpy reports its buffers to it), and nothing that existed before it started: the
inputs do not count, only what the call allocates on top of them. It slows pure-Python code
several-fold (numpy kernels hardly), so graders measure one large case, not many.
"""
from __future__ import annotations

import tracemalloc
from typing import Any, Callable, Iterable

from .errors import Fail

MiB = 1024 * 1024


def peak_during(call: Callable[[], Any]) -> tuple[Any, int]:
    """``(call(), peak bytes allocated during it)``, above what was allocated before.

    Works whether or not tracing is already on (a test may trace too): the peak is then
    reset, and tracing is left as it was found.
    """
    was_tracing = tracemalloc.is_tracing()
    if was_tracing:
        start, _ = tracemalloc.get_traced_memory()
        tracemalloc.reset_peak()
    else:
        start = 0
        tracemalloc.start()
    try:
        result = call()
        _, peak = tracemalloc.get_traced_memory()
    finally:
        if not was_tracing:
            tracemalloc.stop()
    return result, max(0, peak - start)


def mib(n_bytes: float) -> str:
    """A byte count as the report shows it: ``131 MiB``, ``0.4 MiB``."""
    value = n_bytes / MiB
    return f"{value:.0f} MiB" if value >= 10 else f"{value:.1f} MiB"


def assert_peak_below(call: Callable[[], Any], limit_bytes: int, *, case: str | None = None,
                      causes: Iterable[tuple[int, str]] = (), during: str = "during the call") -> Any:
    """Run ``call`` and return its result; :class:`Fail` when its peak reaches ``limit_bytes``.

    ``causes`` are ``(bytes, what was allocated)`` pairs: the largest one not above the peak
    names the likely culprit, e.g. ``(128 * MiB, "an N × M score matrix was allocated")`` gives
    "peak 131 MiB during the call, limit 32 MiB: an N × M score matrix was allocated".
    """
    result, peak = peak_during(call)
    if peak >= limit_bytes:
        message = f"peak {mib(peak)} {during}, limit {mib(limit_bytes)}"
        known = sorted((c for c in causes if c[0] <= peak), key=lambda c: c[0], reverse=True)
        if known:
            message += f": {known[0][1]}"
        raise Fail(message, case=case, got=f"{peak:,} bytes at the peak", expected=f"below {limit_bytes:,} bytes")
    return result
