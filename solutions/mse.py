import numpy as np


def mse(y_true, y_pred) -> float:
    """Mean squared error over every entry; shapes must match exactly."""
    # float64 first: lists become arrays, and integer inputs (uint8 pixels,
    # large int64) neither wrap around in the subtraction nor overflow when squared.
    a = np.asarray(y_true, dtype=np.float64)
    b = np.asarray(y_pred, dtype=np.float64)
    # No broadcasting: (n,) - (n, 1) would silently become an (n, n) matrix.
    # len() is not enough either: it is n for both of those shapes.
    if a.shape != b.shape:
        raise ValueError(f"y_true and y_pred must have the same shape, got {a.shape} and {b.shape}")
    if a.size == 0:
        raise ValueError("mse of empty input is undefined")
    diff = a - b
    return float(np.mean(diff * diff))
