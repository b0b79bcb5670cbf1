# expect: different shapes raise ValueError
# why: seed trap — no shape check, so (n,) against (n, 1) broadcasts to an (n, n) matrix and returns a number
import numpy as np


def mse(y_true, y_pred):
    y_true = np.asarray(y_true)
    y_pred = np.asarray(y_pred)
    return np.mean((y_true - y_pred) ** 2)
