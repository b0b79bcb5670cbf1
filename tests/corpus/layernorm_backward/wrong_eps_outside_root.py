# expect: eps is added outside the square root
# why: classic: eps added to the standard deviation
import numpy as np


def layernorm_forward(x, gamma, beta, eps=1e-5):
    mu = x.mean(-1, keepdims=True)
    std = x.std(-1, keepdims=True) + eps
    xn = (x - mu) / std
    return gamma * xn + beta, (xn, std, gamma)


def layernorm_backward(dy, cache):
    xn, std, gamma = cache
    axes = tuple(range(dy.ndim - 1))
    g = dy * gamma
    dx = (g - g.mean(-1, keepdims=True) - xn * (g * xn).mean(-1, keepdims=True)) / std
    return dx, (dy * xn).sum(axes), dy.sum(axes)
