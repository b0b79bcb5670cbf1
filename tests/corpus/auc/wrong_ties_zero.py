# expect: ✗ tied scores count one half
# why: counts only negatives strictly below each positive: a tied pair counts 0 instead of 1/2
import numpy as np


def roc_auc(y_true, y_score):
    y_true = np.asarray(y_true)
    if len(y_true) != len(y_score):
        raise ValueError("length mismatch")
    pos = y_score[y_true == 1]
    neg = np.sort(y_score[y_true != 1])
    if len(pos) == 0 or len(neg) == 0:
        raise ValueError("need both classes")
    below = np.searchsorted(neg, pos, side="left")
    return float(below.sum() / (len(pos) * len(neg)))
