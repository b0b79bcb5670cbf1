import numpy as np


def fit_linear_regression(X, y, l2=0.0, fit_intercept=True) -> tuple[np.ndarray, float]:
    """Fit w, b minimising ||X @ w + b - y||^2 + l2 * ||w||^2 (sums of squares; b never penalised).

    X: (n, d) float64, y: (n,) float64, n >= 1, d >= 1.
    fit_intercept=False: b = 0.0 and w minimises ||X @ w - y||^2 + l2 * ||w||^2.
    l2 = 0 with several minimisers (n <= d, duplicate columns): the w of smallest norm.

    Returns (w: (d,) float64 array, b: float). Raises ValueError if l2 < 0.
    Must not modify X or y.
    """
    raise NotImplementedError
