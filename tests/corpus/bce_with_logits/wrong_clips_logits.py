# expect: saturated logits up to ±1e4 give the exact loss
# why: clips the logits to [-100, 100] to "avoid overflow", so label 1 with logit -1000 costs 100
import numpy as np


def bce_with_logits(y_true, logits):
    y = np.asarray(y_true, dtype=float)
    z = np.clip(np.asarray(logits, dtype=float), -100.0, 100.0)
    return float(np.mean(np.maximum(z, 0) - z * y + np.log1p(np.exp(-np.abs(z)))))
