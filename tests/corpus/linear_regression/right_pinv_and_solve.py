# why: pinv of the centred X for plain least squares; the ridge system solved directly (it is well conditioned)
import numpy as np


def _centre(X, y, fit_intercept):
    if not fit_intercept:
        return X, y, np.zeros(X.shape[1]), 0.0
    x_mean = np.mean(X, axis=0)
    y_mean = np.mean(y)
    return X - x_mean, y - y_mean, x_mean, y_mean


def fit_linear_regression(X, y, l2=0.0, fit_intercept=True):
    if not l2 >= 0:
        raise ValueError(f"l2 must be non-negative, got {l2}")
    Xc, yc, x_mean, y_mean = _centre(np.asarray(X, float), np.asarray(y, float), fit_intercept)
    if l2 == 0:
        w = np.linalg.pinv(Xc) @ yc
    else:
        w = np.linalg.solve(Xc.T @ Xc + l2 * np.eye(Xc.shape[1]), Xc.T @ yc)
    intercept = y_mean - np.dot(x_mean, w)
    return w, np.asarray(intercept, dtype=np.float64)  # a 0-d float64 array counts as a float
