# expect: one maximum for the whole array
# why: seed trap — one maximum over the whole array instead of one per row
import numpy as np


def softmax(x, axis=-1):
    e = np.exp(x - np.max(x))
    return e / e.sum(axis=axis, keepdims=True)
