import numpy as np


def log_softmax(x: np.ndarray, axis: int = -1) -> np.ndarray:
    """Log of the softmax of `x` along `axis`, computed stably.

    x:    array of any shape with ndim >= 1 (float64 or float32).
    axis: the axis that is normalised; negative values count from the end.

    Returns an array of the same shape and dtype as `x` whose entries along
    `axis` satisfy logsumexp(out, axis) == 0. Must not modify `x`.
    Forbidden: scipy.special, torch.
    """
    raise NotImplementedError
