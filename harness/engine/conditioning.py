"""Ill-conditioned inputs with a known exact answer, and comparisons that forgive only what a
contract leaves free (the kind of float, the sign and order of basis vectors).

A solver that forms ``XᵀX`` squares the condition number: on a matrix of condition number 1e10
it loses every digit while a least-squares solver on ``X`` itself keeps five or more. Tolerance
comparison against a reference cannot say that; :func:`assert_recovers` compares with the
*exact* answer the input was built from and reports the error relative to it, with the cause.
"""
from __future__ import annotations

import traceback
from typing import Any, Callable

import numpy as np

from .compare import close
from .errors import Fail
from .show import short, type_name


def orthonormal_columns(rng, n: int, r: int, *, centred: bool = False) -> np.ndarray:
    """A random ``(n, r)`` matrix with orthonormal columns (``r ≤ n``, ``r ≤ n − 1`` when centred).

    ``centred=True``: every column is orthogonal to the ones vector, so it sums to 0; a matrix
    ``orthonormal_columns(..., centred=True) @ anything`` is already centred."""
    if r > n - centred:
        raise ValueError(f"orthonormal_columns needs r <= n{' - 1' if centred else ''}, got n={n}, r={r}")
    raw = rng.standard_normal((n, r + centred))
    if centred:
        raw[:, 0] = 1.0  # the first basis vector spans the ones vector; the others are orthogonal to it
    basis, _ = np.linalg.qr(raw)
    return basis[:, 1:] if centred else basis


def with_condition(rng, n: int, d: int, cond: float, *, centred: bool = False) -> np.ndarray:
    """An ``(n, d)`` float64 matrix whose singular values fall log-evenly from 1 to ``1/cond``.

    ``centred=True``: every column sums to 0, so ``with_condition(...) + means`` is a matrix
    whose *centred* version has condition number ``cond``. Needs ``n > d`` (``n > d + 1`` when
    centred)."""
    if n <= d + centred:
        raise ValueError(f"with_condition needs n > d{' + 1' if centred else ''}, got n={n}, d={d}")
    singular = np.logspace(0.0, -np.log10(cond), d)
    return (orthonormal_columns(rng, n, d, centred=centred) * singular) @ orthonormal_columns(rng, d, d).T


def relative_error(got, truth, scale: float | None = None) -> float:
    """``‖got − truth‖ / scale`` (``scale`` defaults to ``‖truth‖``)."""
    truth = np.asarray(truth, dtype=np.float64)
    err = float(np.linalg.norm(np.asarray(got, dtype=np.float64) - truth))
    denom = float(np.linalg.norm(truth)) if scale is None else float(scale)
    return err / denom if denom > 0 else (0.0 if err == 0 else float("inf"))


def _attempt_line(exc: BaseException, attempt_file: str | None) -> int | None:
    line = None
    for frame in traceback.extract_tb(exc.__traceback__):
        if attempt_file and frame.filename == attempt_file:
            line = frame.lineno
    return line


def assert_recovers(ctx, run: Callable[[Any], dict], truth: dict, *, setting: str, tol: float,
                    scales: dict | None = None, cause: str = "") -> None:
    """Run ``run(ctx.attempt)`` (a dict of named outputs) and hold each output to the exact answer.

    ``truth`` maps an output's name to its exact value; ``scales`` maps a name to
    ``(scale, "how the scale is written")`` (default ``‖name*‖``). Fails with e.g. "on X with
    condition number 1e10 your w is off by 3.1% of ‖w*‖; allowed 0.1%: <cause>". A
    ``LinAlgError`` raised by the attempt (a singular ``XᵀX``) fails the same way."""
    scales = scales or {}
    try:
        got = run(ctx.attempt)
    except np.linalg.LinAlgError as exc:
        line = _attempt_line(exc, getattr(ctx.attempt, "__file__", None))
        where = f" (line {line} of your file)" if line else ""
        raise Fail(f"{setting} your code raised LinAlgError: {exc}{where}" + (f": {cause}" if cause else "")) from None
    for name, exact in truth.items():
        value = got[name]
        if np.shape(value) != np.shape(exact) or not np.issubdtype(np.asarray(value).dtype, np.number):
            raise Fail(f"{setting} your {name} is {type_name(value)}; expected the shape {np.shape(exact)}",
                       expected=short(exact), got=short(value))
        scale, scale_text = scales.get(name, (None, f"‖{name}*‖"))
        err = relative_error(value, exact, scale)
        if not err <= tol:  # also catches nan
            amount = "not finite" if not np.isfinite(err) else f"off by {_percent(err)} of {scale_text}"
            raise Fail(f"{setting} your {name} is {amount}; allowed {_percent(tol)}" + (f": {cause}" if cause else ""),
                       expected=short(exact), got=short(value))


def _percent(fraction: float) -> str:
    return f"{fraction * 100:.2g}%"


def float_like(rtol: float | None = None, atol: float | None = None, what: str = "values"):
    """``close(kind="float")`` that also accepts a 0-d float array (contracts where "a float" means
    a Python float, a numpy float64 scalar or a 0-d float64 array). Other arrays are rejected."""
    scalar = close(rtol, atol, kind="float", what=what)

    def compare(expected, got) -> None:
        if isinstance(got, np.ndarray) and got.ndim == 0 and got.dtype.kind == "f":
            got = got[()]
        scalar(expected, got)

    return compare


def signed_row_match(expected, got, rtol: float = 1e-6, atol: float = 1e-9) -> list[tuple[int, int]] | None:
    """How the rows of ``got`` relate to those of ``expected`` when they are the same vectors up to
    sign and order: ``[(j, s), ...]`` with ``got[i] ≈ s · expected[j]`` (s = ±1), or None.

    Lets a grader name "right vectors, wrong sign/order" (eigenvectors, principal axes)."""
    e, g = np.asarray(expected, dtype=np.float64), np.asarray(got, dtype=np.float64)
    if e.ndim != 2 or e.shape != g.shape:
        return None
    found, used = [], set()
    for row in g:
        for j, candidate in enumerate(e):
            if j in used:
                continue
            sign = next((s for s in (1, -1) if np.allclose(row, s * candidate, rtol=rtol, atol=atol)), 0)
            if sign:
                found.append((j, sign))
                used.add(j)
                break
        else:
            return None
    return found
