# why: cs231n-style staged backward through every intermediate (xmu, var, sqrtvar, ivar)
import numpy as np


class BatchNorm1d:
    def __init__(self, num_features, eps=1e-5, momentum=0.1):
        self.C, self.eps, self.momentum = num_features, eps, momentum
        self.gamma = np.ones(num_features)
        self.beta = np.zeros(num_features)
        self.running_mean = np.zeros(num_features)
        self.running_var = np.ones(num_features)

    def forward(self, x, training=True):
        if x.ndim != 2 or x.shape[1] != self.C:
            raise ValueError("bad shape")
        if not training:
            xn = (x - self.running_mean) / np.sqrt(self.running_var + self.eps)
            return xn * self.gamma + self.beta
        N = x.shape[0]
        if N == 1:
            raise ValueError("need N > 1 in training")
        mu = np.sum(x, axis=0) / N
        xmu = x - mu
        var = np.sum(xmu ** 2, axis=0) / N
        sqrtvar = np.sqrt(var + self.eps)
        ivar = 1.0 / sqrtvar
        xhat = xmu * ivar
        self.cache = (xhat, self.gamma.copy(), xmu, ivar, sqrtvar, var)
        self.running_mean *= 1 - self.momentum
        self.running_mean += self.momentum * mu
        self.running_var *= 1 - self.momentum
        self.running_var += self.momentum * var * N / (N - 1)
        return self.gamma * xhat + self.beta

    def backward(self, dy):
        xhat, gamma, xmu, ivar, sqrtvar, var = self.cache
        N = dy.shape[0]
        self.dbeta = np.sum(dy, axis=0)
        self.dgamma = np.sum(dy * xhat, axis=0)
        dxhat = dy * gamma
        divar = np.sum(dxhat * xmu, axis=0)
        dxmu1 = dxhat * ivar
        dsqrtvar = -1.0 / (sqrtvar ** 2) * divar
        dvar = 0.5 / np.sqrt(var + self.eps) * dsqrtvar
        dsq = np.ones_like(dy) / N * dvar
        dxmu2 = 2 * xmu * dsq
        dx1 = dxmu1 + dxmu2
        dmu = -np.sum(dx1, axis=0)
        dx2 = np.ones_like(dy) / N * dmu
        return dx1 + dx2
