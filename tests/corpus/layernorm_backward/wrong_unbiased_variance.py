# expect: unbiased variance
# why: classic: np.var(..., ddof=1), the variance divided by D - 1
import numpy as np


def layernorm_forward(x, gamma, beta, eps=1e-5):
    mu = x.mean(-1, keepdims=True)
    sigma2 = x.var(-1, ddof=1, keepdims=True)
    xn = (x - mu) / np.sqrt(sigma2 + eps)
    return gamma * xn + beta, (xn, np.sqrt(sigma2 + eps), gamma)


def layernorm_backward(dy, cache):
    xn, std, gamma = cache
    axes = tuple(range(dy.ndim - 1))
    g = dy * gamma
    dx = (g - g.mean(-1, keepdims=True) - xn * (g * xn).mean(-1, keepdims=True)) / std
    return dx, (dy * xn).sum(axes), dy.sum(axes)
