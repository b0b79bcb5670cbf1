# expect: exactly 0 and 1 give a finite loss
# why: no clipping — a prediction of exactly 0 or 1 gives log(0) = -inf, and 0 * -inf = nan
import numpy as np


def binary_cross_entropy(y_true, y_pred, eps=1e-15):
    y = np.asarray(y_true, dtype=float)
    p = np.asarray(y_pred, dtype=float)
    if y.shape != p.shape:
        raise ValueError("shape mismatch")
    return float(-np.mean(y * np.log(p) + (1 - y) * np.log(1 - p)))
