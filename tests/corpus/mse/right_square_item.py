# why: np.square and np.average, converted with .item(); int inputs are promoted by np.subtract's dtype argument
import numpy as np


def mse(y_true, y_pred):
    a, b = np.asarray(y_true), np.asarray(y_pred)
    if a.shape != b.shape:
        raise ValueError("shape mismatch")
    if a.size == 0:
        raise ValueError("empty")
    return np.average(np.square(np.subtract(a, b, dtype=np.float64))).item()
