import numpy as np


class BatchNorm1d:
    """Batch normalisation of (N, C) float64 inputs, as ``torch.nn.BatchNorm1d``.

    Attributes (float64 arrays of shape (C,)): ``gamma`` (ones), ``beta`` (zeros),
    ``running_mean`` (zeros), ``running_var`` (ones). They may be reassigned between calls.
    ``backward`` sets ``self.dgamma`` and ``self.dbeta``.

    Raises ValueError for x not 2-D or ``x.shape[1] != num_features`` (both modes), and for a
    training forward with N = 1.
    """

    def __init__(self, num_features, eps=1e-5, momentum=0.1):
        raise NotImplementedError

    def forward(self, x, training=True) -> np.ndarray:
        """y of x's shape: batch statistics (and a running update) in training, running statistics in eval."""
        raise NotImplementedError

    def backward(self, dy) -> np.ndarray:
        """dx for the last training forward; also sets self.dgamma and self.dbeta."""
        raise NotImplementedError
