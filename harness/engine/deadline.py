"""A time-limit verdict for a promised large case (conv2d's medium case).

The contract's only size-related verdict: a large case finishes within a limit that an
attempt of the right complexity always meets. The check runs the attempt under a deadline
inside the grading child, so an attempt that is too slow fails this row with the size of
the work ("too slow: 151 M multiply-adds in Python loops took more than 10 s") instead of
the whole check being killed as a generic timeout. The kata's own timeout (kata.toml) must
exceed the deadline plus the other checks, so that this row is what reports it.

The deadline is a ``SIGALRM`` timer: its handler raises :class:`TooSlow` in the attempt's
frame, which Python code reaches between two bytecodes. A long native call (one huge
numpy operation) is only interrupted when it returns; the elapsed time is checked then too,
and that also catches an attempt that swallows the exception with a bare ``except:``.
Where there is no ``SIGALRM`` (Windows, a thread), only the elapsed-time test remains.
"""
from __future__ import annotations

import signal
import threading
import time
from typing import Any, Callable

from .compare import close
from .errors import Fail
from .grader import Case, Check, Grader, call_entry


class TooSlow(BaseException):
    """Raised in the attempt's frame when its deadline passes (BaseException: an attempt's
    ``except Exception`` cannot swallow it)."""


def run_within(seconds: float, fn: Callable[..., Any], *args: Any, **kwargs: Any) -> tuple[Any, float]:
    """``(fn(*args, **kwargs), elapsed seconds)``; raises :class:`TooSlow` once ``seconds`` pass."""
    alarm = hasattr(signal, "SIGALRM") and threading.current_thread() is threading.main_thread()
    previous = None

    def expire(signum, frame):
        raise TooSlow(f"deadline of {seconds:g} s passed")

    if alarm:
        previous = signal.signal(signal.SIGALRM, expire)
        signal.setitimer(signal.ITIMER_REAL, seconds)
    start = time.perf_counter()
    try:
        result = fn(*args, **kwargs)
    finally:
        if alarm:
            signal.setitimer(signal.ITIMER_REAL, 0)
            signal.signal(signal.SIGALRM, previous)
    elapsed = time.perf_counter() - start
    if elapsed > seconds:
        raise TooSlow(f"deadline of {seconds:g} s passed")
    return result, elapsed


def amount(n: int) -> str:
    """151_000_000 -> '151 M' (the figure a person reads), small numbers as they are."""
    for unit, size in (("G", 10**9), ("M", 10**6), ("k", 10**3)):
        if n >= size:
            return f"{n / size:.3g} {unit}"
    return str(n)


def within(grader: Grader, name: str, make_case: Callable[[Any], Case], *, seconds: float,
           work: Callable[[Case], int], unit: str = "multiply-adds", hint: str = "",
           call: Callable | None = None, compare: Callable | None = None, entry: str | None = None) -> None:
    """Declare a check: the attempt's result on ``make_case(rng)`` agrees with the reference's
    (``compare``, default :func:`close`) and comes within ``seconds``.

    ``work(case)`` counts the case's elementary operations (``unit``) for the message
    "too slow: {work} {unit} in Python loops took more than {seconds} s" + ``hint``. The
    reference runs first, without a deadline (it is the yardstick, not the one graded).
    """
    entry_name = entry or grader.entries[0]
    runner = call or call_entry(entry_name)
    comparator = compare or close()

    def run(ctx) -> None:
        case = make_case(ctx.rng)
        ctx.seed_everything()
        expected = runner(ctx.ref, case.fresh())
        ctx.seed_everything()
        try:
            got, _ = run_within(seconds, runner, ctx.attempt, case.fresh())
        except TooSlow:
            raise Fail(f"too slow: {amount(work(case))} {unit} in Python loops took more than {seconds:g} s"
                       + (f"; {hint}" if hint else ""), case=case.label or case.render(entry_name)) from None
        try:
            comparator(expected, got)
        except Fail as fail:
            fail.case = fail.case or case.label or case.render(entry_name)
            raise

    grader.checks.append(Check(name, run, "deadline"))
