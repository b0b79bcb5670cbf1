# expect: expected a float, got int
# why: integer inputs give an integer sum, and // keeps it an int: the mean of [1, 2, 3] vs [1, 2, 5] is 4/3, not 1
import numpy as np


def mse(y_true, y_pred):
    a = np.asarray(y_true)
    b = np.asarray(y_pred)
    if a.shape != b.shape:
        raise ValueError(f"shapes differ: {a.shape} vs {b.shape}")
    if a.size == 0:
        raise ValueError("empty input")
    d = a.astype(np.float64) - b
    total = (d * d).sum()
    if total == int(total):
        return int(total) // a.size
    return float(total / a.size)
