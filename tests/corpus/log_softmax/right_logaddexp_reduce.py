# why: the log-sum-exp via the stable ufunc reduction np.logaddexp.reduce instead of an explicit max shift
import numpy as np


def log_softmax(x, axis=-1):
    return x - np.logaddexp.reduce(x, axis=axis, keepdims=True)
