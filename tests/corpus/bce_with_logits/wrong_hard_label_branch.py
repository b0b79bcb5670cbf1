# expect: soft labels in \[0, 1\]
# why: picks softplus(-z) or softplus(z) by testing y == 1, which is only right for hard labels
import numpy as np


def softplus(t):
    return np.maximum(t, 0) + np.log1p(np.exp(-np.abs(t)))


def bce_with_logits(y_true, logits):
    y = np.asarray(y_true)
    z = np.asarray(logits, dtype=float)
    return float(np.mean(np.where(y == 1, softplus(-z), softplus(z))))
