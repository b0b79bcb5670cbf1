import numpy as np


def binary_cross_entropy(y_true, y_pred, eps: float = 1e-15) -> float:
    """Mean binary cross-entropy between labels and predicted probabilities.

    y_true: array, labels in [0, 1] (hard 0/1 or soft), any shape.
    y_pred: array of probabilities in [0, 1], same shape as y_true.
    eps:    y_pred is clipped to [eps, 1 - eps] before the logs.

    Returns a float: the mean of -(y log p + (1 - y) log(1 - p)) over all entries.
    Raises ValueError if the shapes differ. Must not modify its inputs.
    """
    raise NotImplementedError
