# expect: eps = 1e-2: y_pred clipped
# why: clips y_pred only from below: a sure, right guess costs 0 instead of -log(1 - eps) (invisible at eps = 1e-12, 1% at eps = 1e-2)
import numpy as np


def categorical_cross_entropy(y_true, y_pred, eps=1e-12):
    y = np.asarray(y_true, dtype=np.float64)
    p = np.maximum(np.asarray(y_pred, dtype=np.float64), eps)
    return -(y * np.log(p)).sum(axis=1)
