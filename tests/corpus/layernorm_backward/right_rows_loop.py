# why: one row at a time over x.reshape(-1, D), with np.var and a Jacobian-free formula per row
import numpy as np


def layernorm_forward(x, gamma, beta, eps=1e-5):
    d = x.shape[-1]
    rows = x.reshape(-1, d)
    y = np.empty_like(rows)
    norm = np.empty_like(rows)
    inv = np.empty(rows.shape[0])
    for i, r in enumerate(rows):
        inv[i] = 1.0 / np.sqrt(np.var(r) + eps)
        norm[i] = (r - r.mean()) * inv[i]
        y[i] = gamma * norm[i] + beta
    return y.reshape(x.shape), (norm, inv, np.copy(gamma), x.shape)


def layernorm_backward(dy, cache):
    norm, inv, gamma, shape = cache
    d = shape[-1]
    g_rows = dy.reshape(-1, d)
    dx = np.empty_like(g_rows)
    for i in range(g_rows.shape[0]):
        g = g_rows[i] * gamma
        dx[i] = inv[i] / d * (d * g - g.sum() - norm[i] * np.dot(g, norm[i]))
    dgamma = np.einsum("nd,nd->d", g_rows, norm)
    dbeta = np.einsum("nd->d", g_rows)
    return dx.reshape(shape), dgamma, dbeta
