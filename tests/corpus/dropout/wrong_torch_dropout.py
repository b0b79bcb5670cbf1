# expect: forbidden.*torch
# why: hands the work to torch.nn.functional.dropout
import numpy as np
import torch


def dropout(x, p, training, rng):
    if p < 0 or p > 1:
        raise ValueError("p must be in [0, 1]")
    if not training:
        return torch.nn.functional.dropout(torch.from_numpy(x), p, training=False).numpy(), None
    if p == 1:
        return np.zeros_like(x), np.zeros(x.shape, dtype=bool)
    mask = rng.random(x.shape) > p
    return x * mask / (1 - p), mask


def dropout_backward(dy, mask, p):
    if p == 1:
        return np.zeros_like(dy)
    return dy * mask / (1 - p)
