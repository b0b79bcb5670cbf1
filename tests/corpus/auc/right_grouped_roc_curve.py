# why: a real ROC curve with one point per distinct threshold, starting at (0, 0), integrated with np.trapezoid
import numpy as np


def roc_auc(y_true, y_score):
    y_true = np.asarray(y_true)
    y_score = np.asarray(y_score, dtype=float)
    if y_true.shape != y_score.shape:
        raise ValueError("length mismatch")
    order = np.argsort(-y_score, kind="mergesort")
    s = y_score[order]
    y = (y_true[order] == 1).astype(float)
    n_pos = y.sum()
    n_neg = len(y) - n_pos
    if n_pos == 0 or n_neg == 0:
        raise ValueError("need both classes")
    # last index of each run of equal scores: the curve only moves between distinct thresholds
    ends = np.r_[np.flatnonzero(s[1:] != s[:-1]), len(s) - 1]
    tps = np.cumsum(y)[ends]
    fps = (ends + 1) - tps
    tpr = np.r_[0.0, tps / n_pos]
    fpr = np.r_[0.0, fps / n_neg]
    return float(np.trapezoid(tpr, fpr))
