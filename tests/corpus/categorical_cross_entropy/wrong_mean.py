# expect: expected a numpy array|wrong shape
# why: returns the batch mean (a scalar) instead of one loss per sample
import numpy as np


def categorical_cross_entropy(y_true, y_pred, eps=1e-12):
    y_pred = np.clip(y_pred, eps, 1 - eps)
    return -np.mean(np.sum(y_true * np.log(y_pred), axis=1))
