# expect: empty input raises ValueError
# why: tests emptiness with len(): [[]] and a (3, 0) array have length 1 and 3 but no entries, so the mean of nothing comes back as nan
import numpy as np


def mse(y_true, y_pred):
    a = np.asarray(y_true, dtype=np.float64)
    b = np.asarray(y_pred, dtype=np.float64)
    if a.shape != b.shape:
        raise ValueError(f"shapes differ: {a.shape} vs {b.shape}")
    if len(a) == 0:
        raise ValueError("empty input")
    return float(np.mean((a - b) ** 2))
