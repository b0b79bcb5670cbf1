# expect: saturated logits up to ±1e4 give the exact loss
# why: forms p = sigmoid(z) first; sigmoid(-1000) is exactly 0 and log(0) = -inf
import numpy as np


def bce_with_logits(y_true, logits):
    y = np.asarray(y_true, dtype=float)
    p = 1.0 / (1.0 + np.exp(-np.asarray(logits, dtype=float)))
    return float(-np.mean(y * np.log(p) + (1 - y) * np.log(1 - p)))
