# why: one SVD of the centred X; ridge and minimum norm as a filter on the singular values
import numpy as np


def fit_linear_regression(X, y, l2=0.0, fit_intercept=True):
    if l2 < 0:
        raise ValueError("l2 must be >= 0")
    X = np.asarray(X, dtype=np.float64)
    y = np.asarray(y, dtype=np.float64)
    d = X.shape[1]
    mx = X.mean(0) if fit_intercept else np.zeros(d)
    my = y.mean() if fit_intercept else 0.0
    U, s, Vt = np.linalg.svd(X - mx, full_matrices=False)
    cutoff = max(X.shape) * np.finfo(np.float64).eps * (s[0] if s.size else 0.0)
    keep = s > cutoff
    gain = np.zeros_like(s)
    gain[keep] = s[keep] / (s[keep] ** 2 + l2)
    w = Vt.T @ (gain * (U.T @ (y - my)))
    return w, float(my - mx @ w)
