# expect: modified its input
# why: subtracts the max in place and so overwrites the caller's array
import numpy as np


def log_softmax(x, axis=-1):
    x -= x.max(axis=axis, keepdims=True)
    x -= np.log(np.exp(x).sum(axis=axis, keepdims=True))
    return x
