# expect: ±1e4.*\n?.*nan|nan
# why: the textbook formula overflows to inf/inf = nan
import numpy as np


def softmax(x, axis=-1):
    e = np.exp(x)
    return e / e.sum(axis=axis, keepdims=True)
