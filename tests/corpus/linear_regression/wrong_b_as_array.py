# expect: b: expected a float, got numpy\.ndarray
# why: keeps b as a 1-element array (a slice of the coefficient vector) instead of a float
import numpy as np


def fit_linear_regression(X, y, l2=0.0, fit_intercept=True):
    if l2 < 0:
        raise ValueError("l2 must be >= 0")
    X = np.asarray(X, dtype=np.float64)
    y = np.asarray(y, dtype=np.float64)
    d = X.shape[1]
    mx = X.mean(0, keepdims=True) if fit_intercept else np.zeros((1, d))
    my = y.mean(keepdims=True) if fit_intercept else np.zeros(1)
    A = np.vstack([X - mx, np.sqrt(l2) * np.eye(d)])
    w = np.linalg.lstsq(A, np.concatenate([y - my, np.zeros(d)]), rcond=None)[0]
    return w, my - mx @ w
