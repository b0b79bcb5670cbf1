import numpy as np


def binary_cross_entropy(y_true, y_pred, eps: float = 1e-15) -> float:
    """Mean BCE over every entry, with y_pred clipped to [eps, 1 - eps]."""
    y = np.asarray(y_true, dtype=np.float64)
    p = np.asarray(y_pred, dtype=np.float64)
    # No broadcasting: a (n,) target against a (n, 1) prediction is a bug upstream.
    if y.shape != p.shape:
        raise ValueError(f"y_true and y_pred must have the same shape, got {y.shape} and {p.shape}")
    if y.size == 0:
        raise ValueError("binary cross-entropy of empty input is undefined")
    # Both ends: p = 0 breaks log(p), p = 1 breaks log(1 - p); and with soft labels
    # both terms are live. np.clip makes a copy, so the caller's array is untouched.
    p = np.clip(p, eps, 1.0 - eps)
    # log1p(-p) is log(1 - p) without the rounding of 1 - p for small p.
    return float(-np.mean(y * np.log(p) + (1.0 - y) * np.log1p(-p)))
