import numpy as np


def mse(y_true, y_pred) -> float:
    """Mean of (y_true - y_pred) ** 2 over every entry.

    y_true, y_pred: array-likes (numpy arrays, nested lists, ints or floats)
                    of exactly the same shape.

    Returns a float. Raises ValueError if the shapes differ (no broadcasting:
    (n,) against (n, 1) is an error) or if the inputs are empty.
    Must not modify its inputs.
    """
    raise NotImplementedError
