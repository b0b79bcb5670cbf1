# expect: expected: 0\.375
# why: returns the root mean squared error (an extra sqrt)
import numpy as np


def mse(y_true, y_pred):
    a = np.asarray(y_true, dtype=float)
    b = np.asarray(y_pred, dtype=float)
    if a.shape != b.shape or a.size == 0:
        raise ValueError("shapes must match and be non-empty")
    return float(np.sqrt(np.mean((a - b) ** 2)))
