# expect: each row is normalised on its own
# why: seed trap — one max and one sum over the whole array, so a batch is normalised as a single row
import numpy as np


def log_softmax(x, axis=-1):
    shifted = x - np.max(x)
    return shifted - np.log(np.sum(np.exp(shifted)))
