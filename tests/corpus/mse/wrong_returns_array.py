# expect: expected a float, got numpy\.ndarray
# why: averages over axis 0, so a 2-D input gives an array of per-column errors instead of one float
import numpy as np


def mse(y_true, y_pred):
    a = np.asarray(y_true, dtype=float)
    b = np.asarray(y_pred, dtype=float)
    if a.shape != b.shape or a.size == 0:
        raise ValueError("shapes must match and be non-empty")
    return np.mean((a - b) ** 2, axis=0)
