# expect: modified its input
# why: fixes the exact zeros and ones by writing eps into the caller's array
import numpy as np


def binary_cross_entropy(y_true, y_pred, eps=1e-15):
    if np.shape(y_true) != np.shape(y_pred):
        raise ValueError("shape mismatch")
    y_pred[y_pred < eps] = eps
    y_pred[y_pred > 1 - eps] = 1 - eps
    return float(-np.mean(y_true * np.log(y_pred) + (1 - y_true) * np.log(1 - y_pred)))
