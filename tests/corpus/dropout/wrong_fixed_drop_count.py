# expect: drops exactly
# why: drops exactly round(p·n) elements every call
import numpy as np


def dropout(x, p, training, rng):
    if p < 0 or p > 1:
        raise ValueError("p must be in [0, 1]")
    if not training:
        return x, None
    if p == 1:
        return np.zeros_like(x), np.zeros(x.shape, dtype=bool)
    k = int(round(p * x.size))
    mask = np.ones(x.size, dtype=bool)
    mask[rng.permutation(x.size)[:k]] = False
    mask = mask.reshape(x.shape)
    return x * mask / (1 - p), mask


def dropout_backward(dy, mask, p):
    if p == 1:
        return np.zeros_like(dy)
    return dy * mask / (1 - p)
