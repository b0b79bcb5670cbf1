# expect: condition number 1e10.*off by|condition number 1e10.*not finite
# why: pinv of XᵀX handles the rank-deficient cases but still squares the condition number
import numpy as np


def fit_linear_regression(X, y, l2=0.0, fit_intercept=True):
    if l2 < 0:
        raise ValueError("negative l2")
    X = np.array(X, dtype=np.float64)
    y = np.array(y, dtype=np.float64)
    x_bar = X.mean(0) if fit_intercept else 0.0 * X[0]
    y_bar = y.mean() if fit_intercept else 0.0
    A = X - x_bar
    gram = A.T @ A + l2 * np.identity(A.shape[1])
    w = np.linalg.pinv(gram) @ (A.T @ (y - y_bar))
    return w, float(y_bar - x_bar @ w)
