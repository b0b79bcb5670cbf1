# why: correct, written differently: exact integer arithmetic in int64 for integer inputs (no wrap), float64 otherwise; emptiness by size
import numpy as np


def mse(y_true, y_pred):
    a, b = np.asarray(y_true), np.asarray(y_pred)
    if a.shape != b.shape:
        raise ValueError("y_true and y_pred must have the same shape")
    if a.size == 0:
        raise ValueError("no entries")
    if a.dtype.kind in "iub" and b.dtype.kind in "iub":
        d = a.astype(np.int64) - b.astype(np.int64)
        return float(np.sum(d * d)) / a.size
    d = a.astype(np.float64) - b.astype(np.float64)
    return float(np.dot(d.ravel(), d.ravel()) / a.size)
