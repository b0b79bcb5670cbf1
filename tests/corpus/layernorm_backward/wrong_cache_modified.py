# expect: the first forward's cache again.*do not modify the cache
# why: backward scales the cached x̂ in place, so a second backward with the same cache is wrong
import numpy as np


def layernorm_forward(x, gamma, beta, eps=1e-5):
    mean = x.mean(axis=-1, keepdims=True)
    var = ((x - mean) ** 2).mean(axis=-1, keepdims=True)
    rstd = 1 / np.sqrt(var + eps)
    xhat = (x - mean) * rstd
    return gamma * xhat + beta, [xhat, rstd, gamma]


def layernorm_backward(dy, cache):
    xhat, rstd, gamma = cache
    axes = tuple(range(dy.ndim - 1))
    dgamma = (dy * xhat).sum(axis=axes)
    g = dy * gamma
    proj = (g * xhat).mean(axis=-1, keepdims=True)
    xhat *= proj
    dx = rstd * (g - g.mean(axis=-1, keepdims=True) - xhat)
    return dx, dgamma, dy.sum(axis=axes)
