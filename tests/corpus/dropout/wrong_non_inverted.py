# expect: non-inverted
# why: classic: unscaled in training, scaled by (1 − p) at eval
import numpy as np


def dropout(x, p, training, rng):
    if p < 0 or p > 1:
        raise ValueError("p must be in [0, 1]")
    if not training:
        return x * (1 - p), None
    if p == 1:
        return np.zeros_like(x), np.zeros(x.shape, dtype=bool)
    mask = rng.random(x.shape) > p
    return x * mask, mask


def dropout_backward(dy, mask, p):
    if p == 1:
        return np.zeros_like(dy)
    return dy * mask
