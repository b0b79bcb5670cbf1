# expect: eps = 1e-2: predictions clipped to \[eps, 1 - eps\] on both sides
# why: clips p and 1 - p only from below: log p is never clipped at 1 - eps, so a label 1 predicted as 1 costs 0 instead of -log(1 - eps) (invisible at eps = 1e-15, 1% at eps = 1e-2)
import numpy as np


def binary_cross_entropy(y_true, y_pred, eps=1e-15):
    y_true = np.asarray(y_true, dtype=np.float64)
    y_pred = np.asarray(y_pred, dtype=np.float64)
    if y_true.shape != y_pred.shape:
        raise ValueError("shape mismatch")
    log_p = np.log(np.clip(y_pred, eps, None))
    log_q = np.log(np.clip(1.0 - y_pred, eps, None))  # 1 - p clipped from below at eps
    return float(np.mean(-(y_true * log_p + (1.0 - y_true) * log_q)))
