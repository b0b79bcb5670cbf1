import numpy as np


def roc_auc(y_true: np.ndarray, y_score: np.ndarray) -> float:
    """Area under the ROC curve; a tied (positive, negative) pair counts one half.

    y_true: (n,) labels, 1 = positive, 0 = negative (bool accepted).
    y_score: (n,) scores, higher = more likely positive.
    Returns: P(score of a random positive > score of a random negative) + 0.5 P(tie),
    i.e. the Mann-Whitney U statistic / (n_pos * n_neg). O(n log n).
    Raises ValueError: different lengths, or only one class present.
    """
    y_true = np.asarray(y_true).ravel()
    y_score = np.asarray(y_score, dtype=np.float64).ravel()
    if y_true.shape != y_score.shape:
        raise ValueError(f"y_true and y_score differ in length: {y_true.size} vs {y_score.size}")
    pos = y_true == 1
    n_pos = int(pos.sum())
    n_neg = y_true.size - n_pos
    if n_pos == 0 or n_neg == 0:
        raise ValueError("roc_auc needs both positive and negative samples")

    # Group equal scores (np.unique sorts: O(n log n)) and count positives and negatives
    # per distinct score. Working per group, not per sample, is what makes ties
    # independent of the order in which a sort happens to place them.
    _, group = np.unique(y_score, return_inverse=True)
    pos_per = np.bincount(group, weights=pos, minlength=group.max() + 1)
    neg_per = np.bincount(group, weights=~pos, minlength=group.max() + 1)
    # negatives strictly below each group's score (groups are in ascending score order)
    neg_below = np.cumsum(neg_per) - neg_per
    # each positive beats the negatives below it and half-beats the tied ones; all
    # counts are integers < 2**53, so these float64 sums are exact
    wins = np.sum(pos_per * (neg_below + 0.5 * neg_per))
    return float(wins / (n_pos * n_neg))
