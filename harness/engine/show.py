"""Short, readable renderings of values for failure messages."""
from __future__ import annotations

import sys
from typing import Any

MAX_CHARS = 400


def _np():
    return sys.modules.get("numpy")


def _torch():
    return sys.modules.get("torch")


def is_tensor(value: Any) -> bool:
    torch = _torch()
    return torch is not None and isinstance(value, torch.Tensor)


def is_array(value: Any) -> bool:
    np = _np()
    return np is not None and isinstance(value, np.ndarray)


def short(value: Any, limit: int = MAX_CHARS) -> str:
    np = _np()
    if is_tensor(value):
        t = value.detach()
        body = _array_text(t.cpu().float().numpy() if t.dtype not in (_torch().float64,) and t.is_floating_point()
                           else t.cpu().numpy(), limit)
        return f"tensor({body}, dtype={str(t.dtype).replace('torch.', 'torch.')}, shape={tuple(t.shape)})"
    if is_array(value):
        return f"array({_array_text(value, limit)}, dtype={value.dtype}" + (
            f", shape={value.shape})" if value.ndim != 1 or value.size > 8 else ")")
    if np is not None and isinstance(value, np.generic):
        return f"{value!r}"
    if isinstance(value, float):
        return repr(value)
    text = repr(value)
    if len(text) > limit:
        text = text[: limit - 20] + f" … ({len(text)} chars)"
    return text


def _array_text(arr, limit: int) -> str:
    np = _np()
    with np.printoptions(precision=6, threshold=40, edgeitems=3, linewidth=100, suppress=False):
        text = np.array2string(arr, separator=", ")
    if len(text) > limit:
        text = text[: limit - 20] + " …"
    return text


def type_name(value: Any) -> str:
    if is_tensor(value):
        return f"torch.Tensor (dtype {value.dtype}, shape {tuple(value.shape)})"
    if is_array(value):
        return f"numpy.ndarray (dtype {value.dtype}, shape {value.shape})"
    return type(value).__module__.replace("builtins", "").strip(".") + (
        "." if type(value).__module__ != "builtins" else "") + type(value).__name__
