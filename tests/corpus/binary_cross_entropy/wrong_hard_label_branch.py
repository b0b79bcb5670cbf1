# expect: soft labels in \[0, 1\]
# why: picks log(p) or log(1 - p) by testing y == 1, which is only right for hard labels
import numpy as np


def binary_cross_entropy(y_true, y_pred, eps=1e-15):
    y = np.asarray(y_true)
    p = np.asarray(y_pred, dtype=float)
    if y.shape != p.shape:
        raise ValueError("shape mismatch")
    p = np.clip(p, eps, 1 - eps)
    return float(-np.mean(np.where(y == 1, np.log(p), np.log(1 - p))))
