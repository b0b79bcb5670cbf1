# expect: empty input raises ValueError
# why: checks the shapes but not emptiness; np.mean of nothing is nan instead of a ValueError
import numpy as np


def mse(y_true, y_pred):
    a = np.asarray(y_true, dtype=float)
    b = np.asarray(y_pred, dtype=float)
    if a.shape != b.shape:
        raise ValueError(f"shape mismatch: {a.shape} vs {b.shape}")
    return float(np.mean((a - b) ** 2))
