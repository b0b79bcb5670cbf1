# expect: negative l2 raises ValueError
# why: never validates l2; a negative penalty silently rewards large weights
import numpy as np


def fit_linear_regression(X, y, l2=0.0, fit_intercept=True):
    X = np.asarray(X, dtype=np.float64)
    y = np.asarray(y, dtype=np.float64)
    d = X.shape[1]
    mx = X.mean(0) if fit_intercept else np.zeros(d)
    my = y.mean() if fit_intercept else 0.0
    U, s, Vt = np.linalg.svd(X - mx, full_matrices=False)
    keep = s > max(X.shape) * np.finfo(float).eps * (s[0] if s.size else 0.0)
    filt = np.where(keep, s / np.where(keep, s * s + l2, 1.0), 0.0)
    w = Vt.T @ (filt * (U.T @ (y - my)))
    return w, float(my - mx @ w)
