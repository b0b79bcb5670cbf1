# expect: exactly 0 and 1 give a finite loss
# why: clips only from below; a label-0 entry predicted as exactly 1 still takes log(0)
import numpy as np


def binary_cross_entropy(y_true, y_pred, eps=1e-15):
    y = np.asarray(y_true, dtype=float)
    p = np.asarray(y_pred, dtype=float)
    if y.shape != p.shape:
        raise ValueError("shape mismatch")
    p = np.maximum(p, eps)
    return float(-np.mean(y * np.log(p) + (1 - y) * np.log(1 - p)))
