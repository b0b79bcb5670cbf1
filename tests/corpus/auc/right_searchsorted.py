# why: sorts the negatives once and binary-searches every positive (strictly below + half the ties)
import numpy as np


def roc_auc(y_true, y_score):
    y_true = np.asarray(y_true)
    y_score = np.asarray(y_score)
    if len(y_true) != len(y_score):
        raise ValueError("length mismatch")
    is_pos = y_true == 1
    pos = y_score[is_pos]
    neg = np.sort(y_score[~is_pos])
    if pos.size == 0 or neg.size == 0:
        raise ValueError("only one class present")
    lo = np.searchsorted(neg, pos, side="left")
    hi = np.searchsorted(neg, pos, side="right")
    return float((lo.sum() + 0.5 * (hi - lo).sum()) / (pos.size * neg.size))
