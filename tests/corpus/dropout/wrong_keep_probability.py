# expect: p = 0 nothing is dropped|probability of dropping
# why: p taken as the keep probability
import numpy as np


def dropout(x, p, training, rng):
    if p < 0 or p > 1:
        raise ValueError("p must be in [0, 1]")
    if not training:
        return x, None
    mask = rng.random(x.shape) < p
    return np.where(mask, x / max(p, 1e-12), 0.0).astype(x.dtype), mask


def dropout_backward(dy, mask, p):
    return np.where(mask, dy / max(p, 1e-12), 0.0).astype(dy.dtype)
