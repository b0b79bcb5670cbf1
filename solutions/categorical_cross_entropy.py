import numpy as np


def categorical_cross_entropy(y_true: np.ndarray, y_pred: np.ndarray, eps: float = 1e-12) -> np.ndarray:
    """Per-sample cross-entropy between target and predicted distributions.

    y_true: (n, C) one-hot or soft targets (rows sum to 1).
    y_pred: (n, C) predicted probabilities; clipped to [eps, 1 - eps] before the log.
    Returns: (n,) float64 array, one loss per sample. The inputs are not modified.
    """
    y_true = np.asarray(y_true, dtype=np.float64)
    # np.clip returns a new array, so the caller's y_pred is left alone. Clipping keeps
    # log finite: a zero off-target probability then contributes 0 * log(eps) = 0
    # instead of 0 * -inf = nan.
    p = np.clip(np.asarray(y_pred, dtype=np.float64), eps, 1.0 - eps)
    return -np.sum(y_true * np.log(p), axis=-1)
