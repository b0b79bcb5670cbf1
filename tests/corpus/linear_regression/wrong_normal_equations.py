# expect: condition number.*(normal equations|XᵀX)
# why: the textbook closed form inv(XᵀX) Xᵀy on centred data; squares the condition number
import numpy as np


def fit_linear_regression(X, y, l2=0.0, fit_intercept=True):
    if l2 < 0:
        raise ValueError("l2 must be non-negative")
    X = np.asarray(X, dtype=float)
    y = np.asarray(y, dtype=float)
    if fit_intercept:
        mx, my = X.mean(axis=0), y.mean()
    else:
        mx, my = np.zeros(X.shape[1]), 0.0
    Xc, yc = X - mx, y - my
    w = np.linalg.inv(Xc.T @ Xc + l2 * np.eye(X.shape[1])) @ Xc.T @ yc
    return w, float(my - mx @ w)
