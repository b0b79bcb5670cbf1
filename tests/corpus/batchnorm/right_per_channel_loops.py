# why: one channel at a time with Python loops over the columns, mean/var written out by hand
import math
import numpy as np


class BatchNorm1d:
    def __init__(self, num_features, eps=1e-5, momentum=0.1):
        self.num_features = num_features
        self.eps = eps
        self.momentum = momentum
        self.gamma = np.ones(num_features)
        self.beta = np.zeros(num_features)
        self.running_mean = np.zeros(num_features)
        self.running_var = np.ones(num_features)

    def _check(self, x):
        if len(x.shape) != 2 or x.shape[1] != self.num_features:
            raise ValueError(f"expected (N, {self.num_features}), got {x.shape}")

    def forward(self, x, training=True):
        self._check(x)
        n, c = x.shape
        y = np.empty_like(x)
        if not training:
            for j in range(c):
                y[:, j] = self.gamma[j] * (x[:, j] - self.running_mean[j]) / math.sqrt(self.running_var[j] + self.eps) + self.beta[j]
            return y
        if n <= 1:
            raise ValueError("N = 1")
        self.saved = []
        new_mean, new_var = np.empty(c), np.empty(c)
        for j in range(c):
            col = x[:, j]
            m = col.sum() / n
            v = ((col - m) ** 2).sum() / n
            s = math.sqrt(v + self.eps)
            xh = (col - m) / s
            y[:, j] = self.gamma[j] * xh + self.beta[j]
            self.saved.append((xh, s, self.gamma[j]))
            new_mean[j] = (1 - self.momentum) * self.running_mean[j] + self.momentum * m
            new_var[j] = (1 - self.momentum) * self.running_var[j] + self.momentum * v * n / (n - 1)
        self.running_mean, self.running_var = new_mean, new_var
        return y

    def backward(self, dy):
        n, c = dy.shape
        dx = np.empty_like(dy)
        self.dgamma, self.dbeta = np.empty(c), np.empty(c)
        for j in range(c):
            xh, s, g = self.saved[j]
            d = dy[:, j]
            self.dbeta[j] = d.sum()
            self.dgamma[j] = (d * xh).sum()
            dxh = d * g
            dx[:, j] = (dxh - dxh.mean() - xh * (dxh * xh).mean()) / s
        return dx
