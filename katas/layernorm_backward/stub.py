import numpy as np


def layernorm_forward(x: np.ndarray, gamma: np.ndarray, beta: np.ndarray, eps: float = 1e-5) -> tuple[np.ndarray, object]:
    """Layer normalization over the last axis.

    x: float64 (..., D), ndim >= 2, D >= 2; gamma, beta: (D,).
    Returns (y, cache): y has x's shape; cache is whatever layernorm_backward needs.
    """
    raise NotImplementedError


def layernorm_backward(dy: np.ndarray, cache: object) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Gradients of sum(dy * y) for the forward call that returned `cache`.

    Returns (dx, dgamma, dbeta): dx has x's shape, dgamma and dbeta are (D,).
    """
    raise NotImplementedError
