"""Tolerance comparison with a diff a person can read.

A comparator is a callable ``(expected, got) -> None`` that raises :class:`Fail` with a
message saying what differs: type, shape, dtype, non-finite values, or the worst errors.
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any, Callable

from .errors import Fail
from .show import is_array, is_tensor, short, type_name

Comparator = Callable[[Any, Any], None]


def _index(idx) -> str:
    return "[" + ", ".join(str(int(i)) for i in idx) + "]" if len(idx) else "[]"


def array_diff(expected, got, rtol: float, atol: float, what: str = "values") -> str | None:
    """None when equal within tolerance, else a readable summary of the differences."""
    import numpy as np

    e = np.asarray(expected, dtype=np.float64)
    g = np.asarray(got, dtype=np.float64)
    e_nan, g_nan = np.isnan(e), np.isnan(g)
    e_inf, g_inf = np.isinf(e), np.isinf(g)
    lines = []
    # Non-finite values must match exactly (same inf sign, nan where nan).
    bad_nonfinite = (e_nan != g_nan) | ((e_inf | g_inf) & ~(e == g) & ~(e_nan & g_nan))
    if bad_nonfinite.any():
        positions = np.argwhere(bad_nonfinite)[:3]
        for pos in positions:
            p = tuple(pos)
            lines.append(f"at {_index(p)}: expected {float(e[p])!r}, got {float(g[p])!r}")
        n = int(bad_nonfinite.sum())
        yours_bad = bool((bad_nonfinite & ~np.isfinite(g)).any())
        theirs_bad = bool((bad_nonfinite & ~np.isfinite(e)).any())
        if yours_bad and not theirs_bad:
            head = f"{n} of {e.size} {what} are nan or inf in your result where the right answer is finite"
        elif theirs_bad and not yours_bad:
            head = f"{n} of {e.size} {what} should be nan or inf (as the reference's are) but are finite in yours"
        else:
            head = f"{n} of {e.size} {what} differ in where they are nan or inf"
        return head + ":\n  " + "\n  ".join(lines)
    finite = np.isfinite(e) & np.isfinite(g)
    err = np.where(finite, np.abs(e - g), 0.0)
    tol = atol + rtol * np.abs(e)
    bad = finite & (err > tol)
    if not bad.any():
        return None
    n = int(bad.sum())
    rel = np.where(finite & (e != 0), err / np.maximum(np.abs(e), 1e-300), np.where(err > 0, np.inf, 0.0))
    flat_order = np.argsort(-(err - tol), axis=None)[: min(3, n)]
    if not e.ndim:  # a scalar: no position, no count
        return (f"expected {e[()]:.10g}, got {g[()]:.10g} (off by {err[()]:.3g}; allowed: rtol={rtol:g}, "
                f"atol={atol:g})")
    for flat in flat_order:
        p = np.unravel_index(flat, e.shape)
        lines.append(f"at {_index(p)}: expected {e[p]:.10g}, got {g[p]:.10g} (off by {err[p]:.3g})")
    counted = f"all {n} {what}" if n == e.size and n > 1 else f"{n} of {e.size} {what}"
    head = (f"{counted} differ: max abs error {err.max():.3g}, max rel error "
            f"{rel[bad].max():.3g} (allowed: rtol={rtol:g}, atol={atol:g}); worst:")
    return head + "\n  " + "\n  ".join(lines)


@dataclass
class Close:
    """Compare arrays/tensors/floats within ``rtol``/``atol``.

    kind: "array" (numpy array), "tensor" (torch tensor), "float" (a Python/numpy float;
    a 0-dim tensor too when ``allow_0d_tensor``), or "any" (whatever the reference returns).
    ``same_dtype``: the result must have the reference's dtype (float32 stays float32).
    """

    rtol: float | None = None  # None: the contract's default for the reference's dtype
    atol: float | None = None
    kind: str = "any"
    same_dtype: bool = True
    allow_0d_tensor: bool = False
    what: str = "values"

    def __call__(self, expected: Any, got: Any) -> None:
        kind = self.kind
        if kind == "any":
            kind = "tensor" if is_tensor(expected) else "array" if is_array(expected) else "float"
        if kind == "float":
            return self._float(expected, got)
        if kind == "array" and not is_array(got):
            raise Fail(f"expected a numpy array, got {type_name(got)}", expected=short(expected), got=short(got))
        if kind == "tensor" and not is_tensor(got):
            raise Fail(f"expected a torch tensor, got {type_name(got)}", expected=short(expected), got=short(got))
        if tuple(got.shape) != tuple(expected.shape):
            raise Fail(f"wrong shape: expected {tuple(expected.shape)}, got {tuple(got.shape)}",
                       expected=short(expected), got=short(got))
        if self.same_dtype and got.dtype != expected.dtype:
            raise Fail(f"wrong dtype: expected {expected.dtype}, got {got.dtype} (keep the input's dtype)",
                       expected=short(expected), got=short(got))
        if kind == "tensor":
            if got.device != expected.device:
                raise Fail(f"wrong device: expected {expected.device}, got {got.device}")
            e, g = _tensor_to_numpy(expected), _tensor_to_numpy(got)
        else:
            e, g = expected, got
        rtol, atol = self.tolerance(expected.dtype)
        diff = array_diff(e, g, rtol, atol, self.what)
        if diff:
            raise Fail(f"wrong {self.what}", expected=short(expected), got=short(got), diff=diff)

    def tolerance(self, dtype) -> tuple[float, float]:
        default = DEFAULT_TOLERANCE.get(str(dtype).replace("torch.", ""), (1e-6, 1e-9))
        return (default[0] if self.rtol is None else self.rtol, default[1] if self.atol is None else self.atol)

    def _float(self, expected, got) -> None:
        import numpy as np

        # "Returns a float": a Python or numpy float (KATAS.md). An int is a different type even
        # when its value is right (integer division, a count returned as is, an int 0 for 0.0).
        ok_type = isinstance(got, (float, np.floating))
        if not ok_type and self.allow_0d_tensor and is_tensor(got) and got.dim() == 0 and got.is_floating_point():
            got = got.detach().cpu().double().item()
            ok_type = True
        if not ok_type:
            hint = (" (the value may be right, but the type is not: return a float, e.g. float(result))"
                    if isinstance(got, (int, np.integer)) or (is_tensor(got) and got.dim() == 0) else "")
            raise Fail(f"expected a float, got {type_name(got)}{hint}", expected=short(expected), got=short(got))
        if is_tensor(expected):
            expected = expected.detach().cpu().double().item()
        rtol, atol = self.tolerance("float64")
        what = "value" if self.what == "values" else self.what
        diff = array_diff(np.float64(expected), np.float64(got), rtol, atol, what)
        if diff:
            e, g = float(expected), float(got)
            if not (math.isfinite(e) and math.isfinite(g)):
                raise Fail(f"wrong {what}: got {g!r} where {e!r} was expected", expected=repr(e), got=repr(g))
            err = abs(e - g)
            raise Fail(f"wrong {what}", expected=repr(e), got=repr(g),
                       diff=f"off by {err:.3g} (relative {err / abs(e) if e else float('inf'):.3g}; "
                            f"allowed rtol={rtol:g}, atol={atol:g})")


def _tensor_to_numpy(t):
    import torch

    t = t.detach().cpu()
    if t.is_floating_point() and t.dtype != torch.float64:
        t = t.float()
    elif t.is_complex():
        t = torch.view_as_real(t)
    return t.numpy()


# The contract's tolerances (KATAS.md): float64 tight, float32 looser, half precision loose.
DEFAULT_TOLERANCE = {"float64": (1e-6, 1e-9), "float32": (1e-5, 1e-6), "float16": (2e-2, 2e-2),
                     "bfloat16": (2e-2, 2e-2)}


def close(rtol: float | None = None, atol: float | None = None, **kwargs) -> Close:
    """Compare within ``rtol``/``atol``; left out, the contract's default for the dtype."""
    return Close(rtol=rtol, atol=atol, **kwargs)


def scaled_to_input(x, ulps: float = 4.0, **kwargs) -> Close:
    """close() at the contract's tolerance for ``x``'s dtype, with ``ulps`` spacings of the largest
    ``|x|`` added to atol: a correct float32 ``x - logsumexp(x)`` carries the rounding of numbers as
    large as ``x`` (6e-5 at 700), which the plain float32 atol of 1e-6 would call wrong."""
    import numpy as np

    arr = np.asarray(x)
    rtol, atol = DEFAULT_TOLERANCE.get(str(arr.dtype), (1e-6, 1e-9))
    finite = np.abs(arr[np.isfinite(arr)]) if arr.size else arr
    spacing = float(np.spacing(finite.max().astype(arr.dtype))) if finite.size else 0.0
    return Close(rtol=rtol, atol=atol + ulps * spacing, **kwargs)


def exact() -> Comparator:
    """Equality of plain Python values (lists, ints, tuples)."""

    def compare(expected, got):
        if expected != got:
            raise Fail("wrong result", expected=short(expected), got=short(got))

    return compare


def parts(comparators: dict, names: dict | None = None) -> Comparator:
    """Compare a tuple (keys 0, 1, …) or a dict part by part, naming the part that is wrong:
    ``parts({0: close(kind="float"), 1: close(kind="array")}, {0: "the loss", 1: "the gradient"})``."""
    names = names or {}

    def compare(expected, got) -> None:
        if isinstance(expected, dict):
            if not isinstance(got, dict):
                raise Fail(f"expected a dict with keys {sorted(expected)}, got {type_name(got)}")
            missing = [k for k in expected if k not in got]
            if missing:
                raise Fail(f"the result has no key {missing[0]!r} (expected keys {sorted(expected)})")
        elif isinstance(expected, tuple):
            if not isinstance(got, tuple) or len(got) != len(expected):
                raise Fail(f"expected a tuple of {len(expected)} values, got {type_name(got)}"
                           + (f" of length {len(got)}" if isinstance(got, (tuple, list)) else ""))
        for key, comparator in comparators.items():
            label = names.get(key, f"`{key}`" if isinstance(key, str) else f"part {key + 1}")
            try:
                comparator(expected[key], got[key])
            except Fail as fail:
                fail.message = f"{label}: {fail.message}"
                raise

    return compare


def first_match(got, suspects: dict, rtol: float = 1e-6, atol: float = 1e-9) -> str | None:
    """The message of the first suspect (a known wrong answer, same shape as ``got``) that
    ``got`` equals within tolerance: graders use it to name the mistake, e.g.
    ``{"you used the unbiased variance (n − 1)": unbiased_output}``."""
    import numpy as np

    try:
        g = _to_numpy(got)
    except Exception:
        return None
    for message, candidate in suspects.items():
        try:
            c = _to_numpy(candidate)
        except Exception:
            continue
        if c.shape == g.shape and np.allclose(g, c, rtol=rtol, atol=atol, equal_nan=True):
            return message
    return None


def _to_numpy(value):
    import numpy as np

    if is_tensor(value):
        return _tensor_to_numpy(value).astype(np.float64)
    return np.asarray(value, dtype=np.float64)
