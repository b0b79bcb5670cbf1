# expect: eps = 1e-2: predictions clipped
# why: adds eps inside the logs instead of clipping: finite at 0 and 1, and indistinguishable at eps = 1e-15, but every term is off at eps = 1e-2
import numpy as np


def binary_cross_entropy(y_true, y_pred, eps=1e-15):
    y = np.asarray(y_true, dtype=np.float64)
    p = np.asarray(y_pred, dtype=np.float64)
    if y.shape != p.shape:
        raise ValueError("shape mismatch")
    return float(np.mean(-(y * np.log(p + eps) + (1 - y) * np.log(1 - p + eps))))
