# expect: intercept was fitted although fit_intercept=False
# why: always centres, so fit_intercept=False still gets an intercept
import numpy as np


def fit_linear_regression(X, y, l2=0.0, fit_intercept=True):
    if l2 < 0:
        raise ValueError("l2 must be >= 0")
    X = np.asarray(X, dtype=np.float64)
    y = np.asarray(y, dtype=np.float64)
    d = X.shape[1]
    mx, my = X.mean(0), y.mean()
    A = np.vstack([X - mx, np.sqrt(l2) * np.eye(d)])
    w = np.linalg.lstsq(A, np.concatenate([y - my, np.zeros(d)]), rcond=None)[0]
    return w, float(my - mx @ w)
