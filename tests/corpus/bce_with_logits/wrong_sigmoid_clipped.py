# expect: saturated logits up to ±1e4 give the exact loss
# why: sigmoid then a clipped probability; finite, but label 1 with logit -1000 costs about 34.5, not 1000
import numpy as np


def bce_with_logits(y_true, logits, eps=1e-15):
    y = np.asarray(y_true, dtype=float)
    z = np.asarray(logits, dtype=float)
    p = np.where(z >= 0, 1 / (1 + np.exp(-np.abs(z))), np.exp(-np.abs(z)) / (1 + np.exp(-np.abs(z))))
    p = np.clip(p, eps, 1 - eps)
    return float(-np.mean(y * np.log(p) + (1 - y) * np.log(1 - p)))
