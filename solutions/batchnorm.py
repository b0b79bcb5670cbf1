import numpy as np


class BatchNorm1d:
    """Batch normalisation over (N, C) inputs, as ``torch.nn.BatchNorm1d`` (float64, numpy)."""

    def __init__(self, num_features, eps=1e-5, momentum=0.1):
        self.num_features = num_features
        self.eps = eps
        self.momentum = momentum
        self.gamma = np.ones(num_features)
        self.beta = np.zeros(num_features)
        self.running_mean = np.zeros(num_features)
        self.running_var = np.ones(num_features)
        self._cache = None

    def forward(self, x, training=True) -> np.ndarray:
        if x.ndim != 2 or x.shape[1] != self.num_features:
            raise ValueError(f"expected input of shape (N, {self.num_features}), got {x.shape}")
        n = x.shape[0]
        if not training:
            # Eval: the running statistics, left unchanged; works for any N >= 1.
            return self.gamma * (x - self.running_mean) / np.sqrt(self.running_var + self.eps) + self.beta
        if n < 2:
            raise ValueError("training needs more than one value per channel (N > 1), as torch")
        mu = x.mean(axis=0)
        var = x.var(axis=0)  # biased (divide by N): what the batch is normalised with
        inv_std = 1.0 / np.sqrt(var + self.eps)
        x_hat = (x - mu) * inv_std
        # momentum weights the new batch; the running variance is the unbiased estimate (N - 1).
        m = self.momentum
        self.running_mean = (1.0 - m) * self.running_mean + m * mu
        self.running_var = (1.0 - m) * self.running_var + m * var * n / (n - 1)
        # backward belongs to this forward: keep the gamma it used (it may be reassigned later).
        self._cache = (x_hat, inv_std, np.array(self.gamma, copy=True))
        return self.gamma * x_hat + self.beta

    def backward(self, dy) -> np.ndarray:
        x_hat, inv_std, gamma = self._cache
        n = dy.shape[0]
        self.dbeta = dy.sum(axis=0)
        self.dgamma = (dy * x_hat).sum(axis=0)  # overwritten each call, never accumulated
        # d/dx of gamma * x_hat through the batch mean and variance:
        # dx = gamma * inv_std / N * (N dy - Σ dy - x_hat Σ dy x_hat)
        return gamma * inv_std / n * (n * dy - self.dbeta - x_hat * self.dgamma)
