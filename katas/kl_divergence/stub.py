import numpy as np


def kl_divergence(p: np.ndarray, q: np.ndarray, eps: float = 1e-10):
    """KL(p || q) over the last axis.

    p, q: float64 arrays of the same shape (..., C); each last-axis slice is a distribution.
    Terms with p_i == 0 add 0; q is clipped below at eps.
    Returns: a float for 1-D input, else an array of shape p.shape[:-1].
    Raises ValueError: different shapes, negative entries, or a distribution not summing to 1.
    """
    raise NotImplementedError
