# expect: intercept is penalised
# why: appends a ones column and penalises every coefficient, the intercept included
import numpy as np


def fit_linear_regression(X, y, l2=0.0, fit_intercept=True):
    if l2 < 0:
        raise ValueError("l2 < 0")
    X = np.asarray(X, dtype=np.float64)
    y = np.asarray(y, dtype=np.float64)
    if fit_intercept:
        X = np.hstack([X, np.ones((X.shape[0], 1))])
    p = X.shape[1]
    A = np.vstack([X, np.sqrt(l2) * np.eye(p)])
    coef = np.linalg.lstsq(A, np.concatenate([y, np.zeros(p)]), rcond=None)[0]
    if fit_intercept:
        return coef[:-1], float(coef[-1])
    return coef, 0.0
