# why: builds each row's full D x D Jacobian of the normalisation and multiplies by it
import numpy as np


def layernorm_forward(x, gamma, beta, eps=1e-5):
    m = x.mean(-1, keepdims=True)
    v = ((x - m) ** 2).mean(-1, keepdims=True)
    s = np.sqrt(v + eps)
    xn = (x - m) / s
    return xn * gamma + beta, (xn, s, gamma)


def layernorm_backward(dy, cache):
    xn, s, gamma = cache
    D = xn.shape[-1]
    xr, sr, gr = xn.reshape(-1, D), s.reshape(-1, 1), (dy * gamma).reshape(-1, D)
    eye = np.eye(D)
    # d xn_i / d x_j = (delta_ij - 1/D - xn_i xn_j / D) / s
    J = (eye[None] - 1.0 / D - xr[:, :, None] * xr[:, None, :] / D) / sr[:, :, None]
    dx = np.einsum("ni,nij->nj", gr, J).reshape(dy.shape)
    axes = tuple(range(dy.ndim - 1))
    return dx, (dy * xn).sum(axis=axes), dy.sum(axis=axes)
