# why: Mann-Whitney via average ranks computed by hand from a stable argsort and tie-group boundaries
import numpy as np


def roc_auc(y_true, y_score):
    y = np.asarray(y_true).astype(bool)
    s = np.asarray(y_score, dtype=float)
    if y.shape != s.shape:
        raise ValueError("y_true and y_score must have the same length")
    n_pos = int(y.sum())
    n_neg = len(y) - n_pos
    if n_pos == 0 or n_neg == 0:
        raise ValueError("both classes are required")
    order = np.argsort(s, kind="stable")
    sorted_s = s[order]
    # start index of each run of equal scores, and its length
    starts = np.flatnonzero(np.r_[True, sorted_s[1:] != sorted_s[:-1]])
    lengths = np.diff(np.r_[starts, len(s)])
    avg_rank = starts + (lengths + 1) / 2.0          # 1-based average rank of the run
    ranks = np.empty(len(s))
    ranks[order] = np.repeat(avg_rank, lengths)
    u = ranks[y].sum() - n_pos * (n_pos + 1) / 2.0
    return float(u / (n_pos * n_neg))
