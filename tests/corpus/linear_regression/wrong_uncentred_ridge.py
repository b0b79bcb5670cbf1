# expect: uncentred X
# why: solves the ridge on the raw X and y, then sets b from the means afterwards
import numpy as np


def fit_linear_regression(X, y, l2=0.0, fit_intercept=True):
    if l2 < 0:
        raise ValueError("l2 must be >= 0")
    X = np.asarray(X, dtype=np.float64)
    y = np.asarray(y, dtype=np.float64)
    d = X.shape[1]
    if l2 == 0:
        xm, ym = (X.mean(0), y.mean()) if fit_intercept else (np.zeros(d), 0.0)
        w = np.linalg.lstsq(X - xm, y - ym, rcond=None)[0]
    else:
        w = np.linalg.solve(X.T @ X + l2 * np.eye(d), X.T @ y)
    b = float(y.mean() - X.mean(0) @ w) if fit_intercept else 0.0
    return w, b
