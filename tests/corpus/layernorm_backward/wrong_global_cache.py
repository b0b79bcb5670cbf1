# expect: each cache stands on its own.*no global state
# why: classic: the forward stores its intermediates in module-level globals, so backward uses the latest forward
import numpy as np

_saved = {}


def layernorm_forward(x, gamma, beta, eps=1e-5):
    mean = x.mean(axis=-1, keepdims=True)
    var = ((x - mean) ** 2).mean(axis=-1, keepdims=True)
    _saved["rstd"] = 1 / np.sqrt(var + eps)
    _saved["xhat"] = (x - mean) * _saved["rstd"]
    _saved["gamma"] = gamma
    return gamma * _saved["xhat"] + beta, None


def layernorm_backward(dy, cache):
    xhat, rstd, gamma = _saved["xhat"], _saved["rstd"], _saved["gamma"]
    axes = tuple(range(dy.ndim - 1))
    g = dy * gamma
    dx = rstd * (g - g.mean(axis=-1, keepdims=True) - xhat * (g * xhat).mean(axis=-1, keepdims=True))
    return dx, (dy * xhat).sum(axis=axes), dy.sum(axis=axes)
