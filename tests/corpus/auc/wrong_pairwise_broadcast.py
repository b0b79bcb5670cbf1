# expect: ✗ 10\^6 scores
# why: compares every (positive, negative) pair by broadcasting: right values, but O(n_pos * n_neg) memory and time
import numpy as np


def roc_auc(y_true, y_score):
    y_true = np.asarray(y_true)
    if len(y_true) != len(y_score):
        raise ValueError("length mismatch")
    pos = y_score[y_true == 1]
    neg = y_score[y_true != 1]
    if len(pos) == 0 or len(neg) == 0:
        raise ValueError("need both classes")
    diff = pos[:, None] - neg[None, :]
    return float(((diff > 0).sum() + 0.5 * (diff == 0).sum()) / (len(pos) * len(neg)))
