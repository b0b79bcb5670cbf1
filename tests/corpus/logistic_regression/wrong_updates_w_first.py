# expect: w was updated before b
# why: recomputes p with the new w before the bias step
import numpy as np


def predict_proba(X, w, b):
    z = np.asarray(X, dtype=np.float64) @ w + b
    out = np.empty_like(z)
    pos = z >= 0
    out[pos] = 1.0 / (1.0 + np.exp(-z[pos]))
    ez = np.exp(z[~pos])
    out[~pos] = ez / (1.0 + ez)
    return out


def fit_logistic_regression(X, y, lr=0.1, epochs=100, l2=0.0):
    X = np.asarray(X, dtype=np.float64)
    y = np.asarray(y, dtype=np.float64)
    n, d = X.shape
    w = np.zeros(d)
    b = 0.0
    for _ in range(epochs):
        w = w - lr * (X.T @ (predict_proba(X, w, b) - y) / n + l2 * w)
        b = b - lr * np.mean(predict_proba(X, w, b) - y)
    return w, float(b)
