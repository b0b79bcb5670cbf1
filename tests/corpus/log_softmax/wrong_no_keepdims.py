# expect: could not be broadcast
# why: the row max and the row sum lose their axis, so they broadcast against the wrong dimension
import numpy as np


def log_softmax(x, axis=-1):
    shifted = x - np.max(x, axis=axis)
    return shifted - np.log(np.sum(np.exp(shifted), axis=axis))
