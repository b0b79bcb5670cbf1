# expect: different shapes raise ValueError
# why: seed trap — the seed snippet checks no shapes, so (n,) labels and (n, 1) predictions broadcast to (n, n)
import numpy as np


def binary_cross_entropy(y_true, y_pred, eps=1e-15):
    y_pred = np.clip(y_pred, eps, 1 - eps)
    return -np.mean(y_true * np.log(y_pred) + (1 - y_true) * np.log(1 - y_pred))
