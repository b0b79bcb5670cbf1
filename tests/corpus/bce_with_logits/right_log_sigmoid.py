# why: keeps the two-term cross-entropy shape, with a stable log-sigmoid for each term
import numpy as np


def log_sigmoid(t):
    # log(1 / (1 + e^-t)) = -(max(-t, 0) + log1p(e^-|t|))
    return -(np.maximum(-t, 0.0) + np.log1p(np.exp(-np.abs(t))))


def bce_with_logits(y_true, logits):
    y = np.asarray(y_true, dtype=float)
    z = np.asarray(logits, dtype=float)
    per_entry = -(y * log_sigmoid(z) + (1.0 - y) * log_sigmoid(-z))
    return per_entry.mean()
