# expect: small integer arrays
# why: subtracts in the inputs' own dtype: uint8 pixels wrap around below 0 (3 - 5 = 254) and int8 differences overflow when squared
import numpy as np


def mse(y_true, y_pred):
    a, b = np.asarray(y_true), np.asarray(y_pred)
    if a.shape != b.shape:
        raise ValueError(f"shapes differ: {a.shape} vs {b.shape}")
    if a.size == 0:
        raise ValueError("empty input")
    diff = a - b
    return float(np.mean(diff * diff))
