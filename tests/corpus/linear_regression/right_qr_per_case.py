# why: Householder QR on the stacked ridge system when it has full column rank, lstsq otherwise
import numpy as np


def fit_linear_regression(X, y, l2=0.0, fit_intercept=True):
    if l2 < 0:
        raise ValueError("negative l2")
    X = np.array(X, dtype=np.float64)
    y = np.array(y, dtype=np.float64)
    n, d = X.shape
    if fit_intercept:
        xm = X.sum(axis=0) / n
        ym = y.sum() / n
        X = X - xm
        y = y - ym
    A = np.concatenate([X, np.sqrt(l2) * np.eye(d)]) if l2 > 0 else X
    t = np.concatenate([y, np.zeros(d)]) if l2 > 0 else y
    if np.linalg.matrix_rank(A) == d:
        Q, R = np.linalg.qr(A)
        w = np.linalg.solve(R, Q.T @ t)
    else:
        w = np.linalg.lstsq(A, t, rcond=None)[0]
    if not fit_intercept:
        return w, 0.0
    return w, float(ym - xm @ w)
