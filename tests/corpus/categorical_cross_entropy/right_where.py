# why: copies then clips the copy in place; matmul-free row sum with keepdims then ravel
import numpy as np


def categorical_cross_entropy(y_true, y_pred, eps=1e-12):
    p = np.array(y_pred, dtype=float, copy=True)
    p[p < eps] = eps
    p[p > 1 - eps] = 1 - eps
    return (-(y_true * np.log(p)).sum(axis=1, keepdims=True)).ravel()
