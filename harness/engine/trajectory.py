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
                         state_dtypes: bool = False) -> int:
    """Walk both trajectories step by step (1-based); raise :class:`Fail` at the first step where
    any quantity of the attempt's state differs from the reference's. Returns the number of
    steps compared. ``what`` prefixes the message ("AdamW(lr=0.01)"); ``state_dtypes=True``
    also requires each array to keep the reference's dtype."""
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
                                   name, exp_value, got_snap.get(name), None, case, what)
            problem = _part(exp_value, got_snap.get(name), rtol, atol) if name in got_snap else "missing"
            if problem is None:
                continue
            reason = _suspect(suspects, step, got_snap, rtol, atol)
            raise _failure(reason, step, name, exp_value, got_snap.get(name), problem, case, what)
    return step


def _suspect(suspects, step: int, got_snap: State, rtol: float, atol: float) -> str | None:
    """The message of the suspect closest to the attempt's state at ``step``, if it matches."""
    best: tuple[float, str] | None = None
    for message, make in (suspects or {}).items():
        try:
            for i, state in enumerate(make(), 1):
                if i == step:
                    d = _distance({k: _snapshot(v) for k, v in state.items()}, got_snap, rtol, atol)
                    if d is not None and d <= 1.0 and (best is None or d < best[0]):
                        best = (d, message)
                    break
        except Exception:
            continue  # a suspect that cannot run on this case names nothing
    return best[1] if best else None


def _failure(reason: str | None, step: int, name: str, expected: Any, got: Any, problem: str | None,
             case: str | None, what: str) -> Fail:
    agreed = f" (steps 1–{step - 1} agreed)" if step > 2 else " (step 1 agreed)" if step == 2 else ""
    head = f"{what}: " if what else ""
    message = f"{head}step {step}: `{name}` parts from the reference{agreed}"
    if reason:
        message = f"{reason} ({message})"
    return Fail(message, case=case, expected=short(expected), got=short(got),
                diff=None if problem in (None, "missing") else problem)
