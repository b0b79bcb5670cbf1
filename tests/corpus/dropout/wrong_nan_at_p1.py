# expect: nan
# why: no special case for p = 1: 0·x/0 gives nan
import numpy as np


def dropout(x, p, training, rng):
    if p < 0 or p > 1:
        raise ValueError("p must be in [0, 1]")
    if not training:
        return x, None
    mask = rng.random(x.shape) > p
    return x * mask / (1 - p), mask


def dropout_backward(dy, mask, p):
    if p == 1:
        return np.zeros_like(dy)
    return dy * mask / (1 - p)
