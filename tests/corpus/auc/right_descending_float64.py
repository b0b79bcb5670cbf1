# why: correct, written differently: the ROC curve over descending thresholds (trapezoids, so ties count one half), with the scores converted to float64 before negating
import numpy as np


def roc_auc(y_true, y_score):
    y = np.asarray(y_true) == 1
    s = np.asarray(y_score, dtype=np.float64)
    if y.shape != s.shape:
        raise ValueError("y_true and y_score differ in length")
    if y.all() or not y.any():
        raise ValueError("only one class present")
    order = np.argsort(-s, kind="mergesort")
    s, y = s[order], y[order]
    last_of_group = np.r_[np.flatnonzero(s[1:] != s[:-1]), y.size - 1]
    tps = np.cumsum(y)[last_of_group]
    fps = last_of_group + 1 - tps
    tpr = np.r_[0.0, tps / tps[-1]]
    fpr = np.r_[0.0, fps / fps[-1]]
    return float(np.sum(np.diff(fpr) * (tpr[1:] + tpr[:-1]) / 2))
