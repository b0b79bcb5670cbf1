# why: softplus(z) via np.logaddexp(0, z), so loss = logaddexp(0, z) - y*z
import numpy as np


def bce_with_logits(y_true, logits):
    y = np.asarray(y_true, dtype=np.float64)
    z = np.asarray(logits, dtype=np.float64)
    return float(np.mean(np.logaddexp(0.0, z) - y * z))
