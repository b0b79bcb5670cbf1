# expect: modified its input
# why: centres X and y in place, overwriting the caller's arrays
import numpy as np


def fit_linear_regression(X, y, l2=0.0, fit_intercept=True):
    if l2 < 0:
        raise ValueError("l2 must be >= 0")
    d = X.shape[1]
    mx = X.mean(0) if fit_intercept else np.zeros(d)
    my = y.mean() if fit_intercept else 0.0
    X -= mx
    y -= my
    A = np.vstack([X, np.sqrt(l2) * np.eye(d)])
    w = np.linalg.lstsq(A, np.concatenate([y, np.zeros(d)]), rcond=None)[0]
    return w, float(my - mx @ w)
