# expect: float32 predictions
# why: clips and takes logs in the predictions' own dtype: for float32, 1 - 1e-15 rounds to 1.0, so a prediction of exactly 1 is not clipped and log(1 - 1) is -inf
import numpy as np


def binary_cross_entropy(y_true, y_pred, eps=1e-15):
    if np.shape(y_true) != np.shape(y_pred):
        raise ValueError("shape mismatch")
    p = np.clip(y_pred, eps, 1 - eps)
    return float(-np.mean(y_true * np.log(p) + (1 - y_true) * np.log(1 - p)))
