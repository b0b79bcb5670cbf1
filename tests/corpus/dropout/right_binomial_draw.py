# why: draws the mask with rng.binomial and multiplies by a precomputed keep-scale (x·(1/(1 − p)))
import numpy as np


def dropout(x, p, training, rng):
    if not (0 <= p <= 1):
        raise ValueError(f"p must be a probability, got {p}")
    if not training:
        return x.copy(), np.ones(x.shape, dtype=bool)
    keep = 1.0 - p
    if keep == 0:
        return np.zeros_like(x), np.zeros(x.shape, dtype=bool)
    mask = rng.binomial(1, keep, size=x.shape).astype(bool)
    return x * (mask * (1.0 / keep)).astype(x.dtype), mask


def dropout_backward(dy, mask, p):
    if not (0 <= p <= 1):
        raise ValueError("bad p")
    if p == 1:
        return np.zeros_like(dy)
    return dy * (mask * (1.0 / (1.0 - p))).astype(dy.dtype)
