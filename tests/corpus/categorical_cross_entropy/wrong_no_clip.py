# expect: ✗ zero probabilities
# why: no clipping: a zero probability on the target gives inf, off target 0 * log(0) = nan
import numpy as np


def categorical_cross_entropy(y_true, y_pred, eps=1e-12):
    return -np.sum(y_true * np.log(y_pred), axis=1)
