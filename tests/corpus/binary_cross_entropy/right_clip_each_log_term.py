# why: correct, written differently: clips p and 1 - p separately to [eps, 1 - eps], each inside its own log (1 - clip(p) equals clip(1 - p))
import numpy as np


def binary_cross_entropy(y_true, y_pred, eps=1e-15):
    y_true = np.asarray(y_true, dtype=np.float64)
    y_pred = np.asarray(y_pred, dtype=np.float64)
    if y_true.shape != y_pred.shape:
        raise ValueError("shape mismatch")
    log_p = np.log(np.clip(y_pred, eps, 1.0 - eps))
    log_q = np.log(np.clip(1.0 - y_pred, eps, 1.0 - eps))
    return float(np.mean(-(y_true * log_p + (1.0 - y_true) * log_q)))
