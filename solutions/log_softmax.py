import numpy as np


def log_softmax(x: np.ndarray, axis: int = -1) -> np.ndarray:
    """Log of the softmax of `x` along `axis`, in log-sum-exp form.

    Same shape and dtype as `x`; `x` itself is left untouched.
    """
    x = np.asarray(x)
    # One shift per slice along `axis` (keepdims so that it broadcasts back).
    # After the shift every exponent is <= 0 (no overflow) and the largest
    # term is exp(0) = 1, so the sum is >= 1 and its log is finite.
    shifted = x - np.max(x, axis=axis, keepdims=True)
    log_sum = np.log(np.sum(np.exp(shifted), axis=axis, keepdims=True))
    # Never go through log(softmax): a probability that underflows to 0 would
    # come back as -inf, while shifted - log_sum keeps e.g. -1000 exactly.
    return shifted - log_sum
