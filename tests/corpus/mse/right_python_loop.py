# why: no vectorisation: shape check with np.shape, then a plain loop over the flattened values
import numpy as np


def mse(y_true, y_pred):
    if np.shape(y_true) != np.shape(y_pred):
        raise ValueError(f"shapes differ: {np.shape(y_true)} vs {np.shape(y_pred)}")
    a = np.ravel(y_true).tolist()
    b = np.ravel(y_pred).tolist()
    if not a:
        raise ValueError("empty input")
    total = 0.0
    for t, p in zip(a, b):
        total += (float(t) - float(p)) ** 2
    return total / len(a)
