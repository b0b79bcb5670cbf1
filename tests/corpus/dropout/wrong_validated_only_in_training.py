# expect: expected ValueError.*returned normally.*training=False
# why: p checked only after the eval early return
import numpy as np


def dropout(x, p, training, rng):
    if not training:
        return x, None
    if p < 0 or p > 1:
        raise ValueError("p must be in [0, 1]")
    if p == 1:
        return np.zeros_like(x), np.zeros(x.shape, dtype=bool)
    mask = rng.random(x.shape) > p
    return x * mask / (1 - p), mask


def dropout_backward(dy, mask, p):
    if p == 1:
        return np.zeros_like(dy)
    return dy * mask / (1 - p)
