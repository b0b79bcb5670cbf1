# expect: modified its input
# why: clips y_pred in place (out=y_pred), changing the caller's array
import numpy as np


def categorical_cross_entropy(y_true, y_pred, eps=1e-12):
    np.clip(y_pred, eps, 1 - eps, out=y_pred)
    return -np.sum(y_true * np.log(y_pred), axis=1)
