"""The speed report of a passing attempt: the attempt against the reference on the grader's
large input, within a small time budget.

The report is a note under the verdict, not a verdict, so it must not cost more than the
grading itself: the two are timed in alternation (a burst of load on a busy machine hits both
alike, and they take turns going first), up to ``MAX_ROUNDS`` rounds; after the second, a next
round starts only when it is expected to fit in ``BUDGET_S``. Two rounds at least, so that a
first call (which may build a module or fault in fresh memory) never decides alone, unless one
round already took the whole budget (a slow pure-Python loop is timed once each, and the
reference, which went first, once more: a first call of a large input may cost three times the
next one).

Times are the CPU time of the calling thread, not the wall clock: on a busy machine the wall
clock of one call varies tenfold with the scheduler, its CPU time hardly at all. The grading
child runs one BLAS/OpenMP/torch thread, so all the work is this thread's and on an idle
machine the two agree. (Not the process's CPU clock: in a child forked by the warm grader, with
its CPU-time limit set, Linux updates that one only at each scheduler tick, 4 ms.)
"""
from __future__ import annotations

import contextlib
import time

from .grader import Context, Grader, call_entry

BUDGET_S = 0.05  # CPU seconds of timed calls, both sides together
MAX_ROUNDS = 10  # a call of a millisecond is noisy: more rounds, as the budget allows


def measure(grader: Grader, ctx: Context, plain_reference: dict | None = None, budget_s: float = BUDGET_S,
            max_rounds: int = MAX_ROUNDS) -> dict:
    """The fields of the ``speed`` event: label, attempt_s, reference_s, ratio (and a warning
    when the grader set ``warn_above`` and the attempt is slower than that).

    ``plain_reference``: the reference's entry points as its file defines them, timed instead of
    the isolated ones the checks call (isolation.under puts the library settings back around
    every call, some 15 µs: a speed case of 50 000 small calls made the attempt look 50x faster).
    """
    with _swapped(ctx.ref, plain_reference or {}):
        return _measure(grader, ctx, budget_s, max_rounds)


@contextlib.contextmanager
def _swapped(module, attributes: dict):
    saved = {name: getattr(module, name) for name in attributes}
    for name, value in attributes.items():
        setattr(module, name, value)
    try:
        yield
    finally:
        for name, value in saved.items():
            setattr(module, name, value)


def _measure(grader: Grader, ctx: Context, budget_s: float, max_rounds: int) -> dict:
    spec = grader.speed_spec
    runner = spec.call or call_entry(spec.entry or grader.entries[0])
    case = spec.make_case(ctx.rng)
    best = {"reference": float("inf"), "attempt": float("inf")}
    spent, rounds = 0.0, 0
    order = [("reference", ctx.ref), ("attempt", ctx.attempt)]

    def timed(role, impl) -> float:
        fresh = case.fresh()
        ctx.seed_everything()
        start = time.thread_time()
        runner(impl, fresh)
        took = time.thread_time() - start
        best[role] = min(best[role], took)
        return took

    while rounds < max_rounds:
        for role, impl in order if rounds % 2 == 0 else order[::-1]:  # neither always goes first
            spent += timed(role, impl)
        rounds += 1
        if rounds == 1 and spent <= budget_s:
            continue  # a second round at least: one call alone is at the mercy of a first-call cost
        if spent + spent / rounds > budget_s:  # the next round would overrun the budget
            break
    if rounds == 1:  # the reference went first, and paid alone for what a first call costs
        timed(*order[0])
    ref_s, att_s = best["reference"], best["attempt"]
    ratio = att_s / ref_s if ref_s > 0 else None
    out = {"label": spec.label or case.label or "a large input", "attempt_s": att_s, "reference_s": ref_s,
           "ratio": ratio, "rounds": rounds}
    if spec.warn_above is not None and ratio is not None and ratio > spec.warn_above:
        out["warning"] = spec.warning or f"{ratio:.0f}x slower than the reference"
    return out
