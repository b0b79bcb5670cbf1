# expect: ✗ ValueError when only one class
# why: divides 0 by 0 and returns nan when only one class is present instead of raising
import numpy as np


def roc_auc(y_true, y_score):
    y_true = np.asarray(y_true)
    if len(y_true) != len(y_score):
        raise ValueError("length mismatch")
    pos = y_score[y_true == 1]
    neg = np.sort(y_score[y_true != 1])
    lo = np.searchsorted(neg, pos, side="left")
    hi = np.searchsorted(neg, pos, side="right")
    with np.errstate(invalid="ignore", divide="ignore"):
        return float((lo.sum() + 0.5 * (hi - lo).sum()) / np.float64(len(pos) * len(neg)))
