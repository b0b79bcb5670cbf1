# expect: modified its input
# why: subtracts in place; np.asarray hands back the caller's own float64 array, which gets overwritten
import numpy as np


def mse(y_true, y_pred):
    t = np.asarray(y_true, dtype=np.float64)
    diff = np.asarray(y_pred, dtype=np.float64)
    if diff.shape != t.shape or diff.size == 0:
        raise ValueError("shapes must match and be non-empty")
    diff -= t
    return float(np.mean(diff**2))
