import numpy as np


def softmax(x: np.ndarray, axis: int = -1) -> np.ndarray:
    """Softmax of `x` along `axis`, numerically stable.

    x: array of any shape with ndim >= 1, float32 or float64 (may contain -inf,
       never a whole slice of -inf along `axis`).
    Returns an array of the same shape and dtype whose slices along `axis` sum to 1.
    """
    raise NotImplementedError
