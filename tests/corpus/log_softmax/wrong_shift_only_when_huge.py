# expect: without subtracting each row.s maximum
# why: shifts by the maximum only when float64 exp would overflow (|max| > 700): float32 exp already overflows above 88.7
import numpy as np
def log_softmax(x, axis=-1):
    m = np.max(x, axis=axis, keepdims=True)
    m = np.where(np.abs(m) > 700, m, 0).astype(x.dtype)
    z = x - m
    return z - np.log(np.sum(np.exp(z), axis=axis, keepdims=True))
