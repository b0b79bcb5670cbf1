# expect: the eps argument sets the clip range
# why: ignores the eps argument and always clips at 1e-15, as the seed snippet does
import numpy as np


def binary_cross_entropy(y_true, y_pred, eps=1e-15):
    y = np.asarray(y_true, dtype=float)
    p = np.asarray(y_pred, dtype=float)
    if y.shape != p.shape:
        raise ValueError("shape mismatch")
    p = np.clip(p, 1e-15, 1 - 1e-15)
    return float(-np.mean(y * np.log(p) + (1 - y) * np.log(1 - p)))
