# why: clips and takes the logs one entry at a time with math.log, then divides by the count
import math

import numpy as np


def binary_cross_entropy(y_true, y_pred, eps=1e-15):
    y = np.asarray(y_true, dtype=float)
    p = np.asarray(y_pred, dtype=float)
    if y.shape != p.shape:
        raise ValueError(f"shapes differ: {y.shape} vs {p.shape}")
    total = 0.0
    for yi, pi in zip(y.ravel().tolist(), p.ravel().tolist()):
        pi = min(max(pi, eps), 1.0 - eps)
        total -= yi * math.log(pi) + (1.0 - yi) * math.log(1.0 - pi)
    return total / y.size
