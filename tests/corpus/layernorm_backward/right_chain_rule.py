# why: the textbook chain rule through var and mean (cs231n style), cache as a dict
import numpy as np


def layernorm_forward(x, gamma, beta, eps=1e-5):
    mu = np.mean(x, axis=-1, keepdims=True)
    xmu = x - mu
    var = np.mean(xmu ** 2, axis=-1, keepdims=True)
    sqrtvar = np.sqrt(var + eps)
    ivar = 1.0 / sqrtvar
    xhat = xmu * ivar
    out = gamma * xhat + beta
    return out, {"xmu": xmu, "ivar": ivar, "sqrtvar": sqrtvar, "var": var, "eps": eps, "gamma": gamma.copy(),
                 "xhat": xhat}


def layernorm_backward(dy, cache):
    xmu, ivar, sqrtvar, var, eps = cache["xmu"], cache["ivar"], cache["sqrtvar"], cache["var"], cache["eps"]
    gamma, xhat = cache["gamma"], cache["xhat"]
    D = dy.shape[-1]
    flat = dy.reshape(-1, D)
    dbeta = flat.sum(axis=0)
    dgamma = (flat * xhat.reshape(-1, D)).sum(axis=0)
    dxhat = dy * gamma
    divar = np.sum(dxhat * xmu, axis=-1, keepdims=True)
    dxmu1 = dxhat * ivar
    dsqrtvar = -1.0 / (sqrtvar ** 2) * divar
    dvar = 0.5 / np.sqrt(var + eps) * dsqrtvar
    dsq = np.ones_like(xmu) / D * dvar
    dxmu2 = 2 * xmu * dsq
    dx1 = dxmu1 + dxmu2
    dmu = -np.sum(dx1, axis=-1, keepdims=True)
    dx2 = np.ones_like(xmu) / D * dmu
    return dx1 + dx2, dgamma, dbeta
