# why: the sum of squares as a dot product of the flattened difference with itself
import numpy as np


def mse(y_true, y_pred):
    a = np.array(y_true, dtype=np.float64)
    b = np.array(y_pred, dtype=np.float64)
    if a.shape != b.shape:
        raise ValueError("y_true and y_pred must have identical shapes")
    if a.size == 0:
        raise ValueError("empty")
    d = (a - b).ravel()
    return (d @ d) / d.size
