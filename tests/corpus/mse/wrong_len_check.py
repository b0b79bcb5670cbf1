# expect: different shapes raise ValueError
# why: compares len() instead of .shape; len is n for both (n,) and (n, 1), which then broadcast
import numpy as np


def mse(y_true, y_pred):
    if len(y_true) != len(y_pred):
        raise ValueError("length mismatch")
    if len(y_true) == 0:
        raise ValueError("empty input")
    a = np.asarray(y_true, dtype=float)
    b = np.asarray(y_pred, dtype=float)
    return float(np.mean((a - b) ** 2))
