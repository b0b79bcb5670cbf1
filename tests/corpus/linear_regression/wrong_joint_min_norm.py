# expect: norm of \(w, b\)
# why: lstsq on [X, 1]: fine at full rank, but with several minimisers it minimises ‖(w, b)‖ instead of ‖w‖
import numpy as np


def fit_linear_regression(X, y, l2=0.0, fit_intercept=True):
    if l2 < 0:
        raise ValueError("l2 must be >= 0")
    X = np.asarray(X, dtype=np.float64)
    y = np.asarray(y, dtype=np.float64)
    n, d = X.shape
    A = np.c_[X, np.ones(n)] if fit_intercept else X
    penalty = np.sqrt(l2) * np.eye(A.shape[1])
    if fit_intercept:
        penalty[-1, -1] = 0.0  # b is not penalised
    sol, *_ = np.linalg.lstsq(np.vstack([A, penalty]), np.r_[y, np.zeros(A.shape[1])], rcond=None)
    return (sol[:d], float(sol[d])) if fit_intercept else (sol, 0.0)
