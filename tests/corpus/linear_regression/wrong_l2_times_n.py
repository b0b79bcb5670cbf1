# expect: l2 was multiplied by n
# why: treats the loss as a mean of squares, which amounts to scaling the penalty by n
import numpy as np


def fit_linear_regression(X, y, l2=0.0, fit_intercept=True):
    if l2 < 0:
        raise ValueError("l2 must be >= 0")
    X = np.asarray(X, dtype=np.float64)
    y = np.asarray(y, dtype=np.float64)
    n, d = X.shape
    mx = X.mean(0) if fit_intercept else np.zeros(d)
    my = y.mean() if fit_intercept else 0.0
    A = np.vstack([X - mx, np.sqrt(n * l2) * np.eye(d)])
    w = np.linalg.lstsq(A, np.concatenate([y - my, np.zeros(d)]), rcond=None)[0]
    return w, float(my - mx @ w)
