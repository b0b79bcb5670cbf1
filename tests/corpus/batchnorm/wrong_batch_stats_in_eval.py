# expect: eval mode.*running statistics, not the batch
# why: uses the batch statistics in eval too
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

    def forward(self, x, training=True):
        if x.ndim != 2 or x.shape[1] != self.num_features:
            raise ValueError("x must be (N, num_features)")
        if training:
            N = x.shape[0]
            if N == 1:
                raise ValueError("N = 1 in training")
            mean = np.mean(x, axis=0)
            var = np.var(x, axis=0)
            std = np.sqrt(var + self.eps)
            xhat = (x - mean) / std
            self.running_mean = (1 - self.momentum) * self.running_mean + self.momentum * mean
            self.running_var = (1 - self.momentum) * self.running_var + self.momentum * np.var(x, axis=0, ddof=1)
            self.cache = (xhat, std, self.gamma)
            return self.gamma * xhat + self.beta
        xhat = (x - x.mean(axis=0)) / np.sqrt(x.var(axis=0) + self.eps)
        return self.gamma * xhat + self.beta

    def backward(self, dy):
        xhat, std, gamma = self.cache
        N = dy.shape[0]
        self.dbeta = dy.sum(axis=0)
        self.dgamma = (dy * xhat).sum(axis=0)
        dxhat = dy * gamma
        return (dxhat - dxhat.mean(axis=0) - xhat * (dxhat * xhat).mean(axis=0)) / std
