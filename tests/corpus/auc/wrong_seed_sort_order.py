# expect: ✗ tied scores count one half
# why: seed trap: builds the ROC curve one sample at a time after argsort, so tied scores become separate steps whose order the sort decides
import numpy as np


def roc_auc(y_true, y_score):
    y_true = np.asarray(y_true)
    if len(y_true) != len(y_score):
        raise ValueError("length mismatch")
    n_pos = np.sum(y_true == 1)
    n_neg = len(y_true) - n_pos
    if n_pos == 0 or n_neg == 0:
        raise ValueError("need both classes")
    order = np.argsort(y_score)[::-1]
    y = (y_true[order] == 1).astype(float)
    tps = np.concatenate([[0.0], np.cumsum(y)])
    fps = np.concatenate([[0.0], np.cumsum(1 - y)])
    return float(np.trapezoid(tps / n_pos, fps / n_neg))
