# why: clips with np.minimum/np.maximum and reduces with dot products over the flattened arrays
import numpy as np


def binary_cross_entropy(y_true, y_pred, eps=1e-15):
    y = np.array(y_true, dtype=np.float64).ravel()
    p = np.array(y_pred, dtype=np.float64)
    if np.shape(y_true) != p.shape:
        raise ValueError("y_true and y_pred must have the same shape")
    p = np.minimum(np.maximum(p.ravel(), eps), 1 - eps)
    return -(y @ np.log(p) + (1 - y) @ np.log1p(-p)) / y.size
