import numpy as np


def layernorm_forward(x, gamma, beta, eps=1e-5):
    """Layer normalization over the last axis of x (..., D); returns (y, cache)."""
    mean = x.mean(axis=-1, keepdims=True)
    centred = x - mean  # centre first: E[x^2] - E[x]^2 cancels catastrophically at large offsets
    var = (centred * centred).mean(axis=-1, keepdims=True)  # biased, as F.layer_norm
    rstd = 1.0 / np.sqrt(var + eps)
    xhat = centred * rstd
    y = gamma * xhat + beta
    # The cache owns its arrays (gamma copied): backward never depends on what the caller does later.
    return y, (xhat, rstd, np.array(gamma, dtype=np.float64))


def layernorm_backward(dy, cache):
    """Gradients of sum(dy * y) w.r.t. x, gamma and beta."""
    xhat, rstd, gamma = cache
    lead = tuple(range(dy.ndim - 1))  # gamma and beta are shared by every leading position
    dgamma = (dy * xhat).sum(axis=lead)
    dbeta = dy.sum(axis=lead)
    g = dy * gamma  # gradient w.r.t. xhat
    # d xhat / d x removes the row mean of g and its projection on xhat (xhat has mean 0, norm² D).
    dx = rstd * (g - g.mean(axis=-1, keepdims=True) - xhat * (g * xhat).mean(axis=-1, keepdims=True))
    return dx, dgamma, dbeta
