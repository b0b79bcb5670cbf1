"""Trajectory comparison: a stateful object (optimiser, BatchNorm) run step by step beside the
reference, reporting the first step and the quantity where the two part.

A trajectory is an iterator of states, one per step: ``{name: value}`` with array / tensor /
float values (parameters after the step, the output, running statistics …). The grader writes
one generator that drives an implementation (the attempt's module or the reference's) and
yields its state after each step; :func:`compare_trajectories` runs the reference's and the
attempt's in lockstep, so the attempt stops at the first step where it parts.

Named mistakes: ``suspects`` maps a message to a factory of a known-wrong trajectory (the
reference with one classic mistake). At the first divergence, the first suspect whose state
at that step equals the attempt's names the mistake in the failure.
"""
from __future__ import annotations

from typing import Any, Callable, Iterable, Iterator, Mapping

from .compare import array_diff
from .errors import Fail
from .show import is_array, is_tensor, short

State = Mapping[str, Any]


def _snapshot(value: Any):
    """A float64 numpy copy (the attempt may keep updating the very object it returned)."""
    import numpy as np

    if is_tensor(value):
        return np.array(value.detach().cpu().double().numpy(), copy=True)
    if is_array(value) or isinstance(value, (int, float, np.floating, np.integer)):
        return np.array(value, dtype=np.float64, copy=True)
    return value


def _shape(value: Any):
    return tuple(getattr(value, "shape", ()))


def _part(expected: Any, got: Any, rtol: float, atol: float) -> str | None:
    """None when equal within tolerance, else why not (shape, type or values)."""
    import numpy as np

    if isinstance(expected, np.ndarray):
        if not isinstance(got, np.ndarray):
            return f"expected an array of shape {expected.shape}, got {short(got, 120)}"
        if got.shape != expected.shape:
            return f"wrong shape: expected {expected.shape}, got {got.shape}"
        return array_diff(expected, got, rtol, atol)
    return None if expected == got else f"expected {short(expected)}, got {short(got)}"


def _distance(expected: State, got: State, rtol: float, atol: float) -> float | None:
    """How far ``got`` is from ``expected`` in units of the tolerance (≤ 1 is a match); None
    when a quantity is missing, of another shape, or nan/inf in other places."""
    import numpy as np

    worst = 0.0
    for k, e in expected.items():
        g = got.get(k)
        if not isinstance(e, np.ndarray) or not isinstance(g, np.ndarray) or e.shape != g.shape:
            if not isinstance(e, np.ndarray) and e == g:
                continue
            return None
        if not np.array_equal(np.isfinite(e), np.isfinite(g)) or not np.array_equal(e[~np.isfinite(e)],
                                                                                    g[~np.isfinite(g)],
                                                                                    equal_nan=True):
            return None
        fin = np.isfinite(e)
        if fin.any():
            worst = max(worst, float(np.max(np.abs(e[fin] - g[fin]) / (atol + rtol * np.abs(e[fin])))))
    return worst


def compare_trajectories(expected: Iterable[State], got: Iterable[State], *, rtol: float = 1e-6,
                         atol: float = 1e-9, case: str | None = None, what: str = "",
                         suspects: Mapping[str, Callable[[], Iterable[State]]] | None = None,
                         state_dtypes: bool = False, start: int = 1, lookahead: int = 0) -> int:
    """Walk both trajectories step by step; raise :class:`Fail` at the first step where any
    quantity of the attempt's state differs from the reference's. Returns the number of
    steps compared. ``what`` prefixes the message ("AdamW(lr=0.01)"); ``state_dtypes=True``
    also requires each array to keep the reference's dtype. Steps are numbered from
    ``start`` in messages (1: the n-th call; 0: when the state is "the value at step t").
    ``lookahead``: at a divergence, up to that many further steps of the attempt are run so
    that, among suspects equally close at the divergence, the one that keeps explaining the
    attempt longest names the mistake."""
    got_iter: Iterator[State] = iter(got)
    step = 0
    for exp_state in expected:
        step += 1
        got_state = next(got_iter)
        exp_snap = {k: _snapshot(v) for k, v in exp_state.items()}
        got_snap = {k: _snapshot(v) for k, v in got_state.items()}
        for name, exp_value in exp_snap.items():
            if state_dtypes and hasattr(exp_state[name], "dtype"):
                got_dtype = getattr(got_state.get(name), "dtype", None)
                if got_dtype != exp_state[name].dtype:
                    raise _failure(f"{name} has dtype {got_dtype}, expected {exp_state[name].dtype}", step,
                                   name, exp_value, got_snap.get(name), None, case, what, start)
            problem = _part(exp_value, got_snap.get(name), rtol, atol) if name in got_snap else "missing"
            if problem is None:
                continue
            later = _further(got_iter, lookahead) if suspects else []
            reason = _suspect(suspects, step, [got_snap] + later, rtol, atol)
            raise _failure(reason, step, name, exp_value, got_snap.get(name), problem, case, what, start)
    return step


def _further(got_iter: Iterator[State], count: int) -> list[State]:
    """Up to ``count`` more snapshots of the attempt (fewer if it ends or raises)."""
    out: list[State] = []
    try:
        for _ in range(count):
            out.append({k: _snapshot(v) for k, v in next(got_iter).items()})
    except Exception:
        pass  # a crash after the divergence only shortens the evidence
    return out


def _suspect(suspects, step: int, got_snaps: list, rtol: float, atol: float) -> str | None:
    """The message of the suspect that matches the attempt at ``step`` and for the most steps
    after it; among equals, the closest at ``step``."""
    best: tuple[int, float, str] | None = None
    for message, make in (suspects or {}).items():
        try:
            matched, first = 0, None
            for i, state in enumerate(make(), 1):
                if i < step:
                    continue
                if i - step >= len(got_snaps):
                    break
                d = _distance({k: _snapshot(v) for k, v in state.items()}, got_snaps[i - step], rtol, atol)
                if d is None or d > 1.0:
                    break
                matched, first = matched + 1, d if first is None else first
        except Exception:
            continue  # a suspect that cannot run on this case names nothing
        if matched and (best is None or (matched, -first) > (best[0], -best[1])):
            best = (matched, first, message)
    return best[2] if best else None


def _shown(value: Any) -> str:
    """A scalar state (a learning rate, a counter) as a plain number, arrays as arrays."""
    import numpy as np

    if isinstance(value, np.ndarray) and value.ndim == 0:
        return repr(float(value))
    return short(value)


def _failure(reason: str | None, step: int, name: str, expected: Any, got: Any, problem: str | None,
             case: str | None, what: str, start: int = 1) -> Fail:
    first, shown = start, step - 1 + start  # ``step`` counts from 1 internally
    agreed = f" (steps {first}–{shown - 1} agreed)" if shown > first + 1 else \
        f" (step {first} agreed)" if shown == first + 1 else ""
    head = f"{what}: " if what else ""
    message = f"{head}step {shown}: `{name}` parts from the reference{agreed}"
    if reason:
        message = f"{reason} ({message})"
    return Fail(message, case=case, expected=_shown(expected), got=_shown(got),
                diff=None if problem in (None, "missing") else problem)
