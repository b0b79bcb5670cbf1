# why: uniform draws compared with the keep probability, np.where for the output, x returned itself in eval
import numpy as np


def dropout(x: np.ndarray, p: float, training: bool, rng: np.random.Generator):
    if p < 0.0 or p > 1.0:
        raise ValueError("dropout probability must be in [0, 1]")
    if not training:
        return x, None
    u = rng.uniform(size=x.shape)
    mask = u < 1.0 - p
    if p == 1.0:
        return np.zeros_like(x), mask
    return np.where(mask, x / x.dtype.type(1.0 - p), x.dtype.type(0)), mask


def dropout_backward(dy, mask, p):
    if p == 1.0:
        return np.zeros_like(dy)
    return np.where(mask, dy / dy.dtype.type(1.0 - p), dy.dtype.type(0))
