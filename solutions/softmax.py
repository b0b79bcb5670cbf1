import numpy as np


def softmax(x: np.ndarray, axis: int = -1) -> np.ndarray:
    """Softmax along `axis`, stable for any logits; keeps shape and dtype."""
    # Shift each slice so its maximum is 0: exp never overflows and the largest term is 1,
    # so the denominator is at least 1. The shift cancels in the ratio.
    shifted = x - np.max(x, axis=axis, keepdims=True)
    exps = np.exp(shifted)
    return exps / np.sum(exps, axis=axis, keepdims=True)
