# expect: overflowed
# why: σ as exp(z) / (1 + exp(z)): inf / inf = nan once z > 709
import numpy as np


def predict_proba(X, w, b):
    z = X @ w + b
    return np.exp(z) / (1.0 + np.exp(z))


def fit_logistic_regression(X, y, lr=0.1, epochs=100, l2=0.0):
    X = np.asarray(X, dtype=np.float64)
    y = np.asarray(y, dtype=np.float64)
    n, d = X.shape
    w = np.zeros(d)
    b = 0.0
    for _ in range(epochs):
        err = predict_proba(X, w, b) - y
        gw = X.T @ err / n + l2 * w
        gb = err.mean()
        w, b = w - lr * gw, b - lr * gb
    return w, float(b)
