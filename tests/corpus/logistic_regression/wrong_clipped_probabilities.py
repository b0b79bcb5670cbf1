# expect: clipped to \[1e-07
# why: clips the probabilities to [1e-7, 1 - 1e-7] "for safety", as one does before a log
import numpy as np


def predict_proba(X, w, b):
    z = X @ w + b
    p = 0.5 * (1.0 + np.tanh(0.5 * z))
    return np.clip(p, 1e-7, 1 - 1e-7)


def fit_logistic_regression(X, y, lr=0.1, epochs=100, l2=0.0):
    X = np.asarray(X, dtype=np.float64)
    y = np.asarray(y, dtype=np.float64)
    n, d = X.shape
    w = np.zeros(d)
    b = 0.0
    for _ in range(epochs):
        err = predict_proba(X, w, b) - y
        w, b = w - lr * (X.T @ err / n + l2 * w), b - lr * err.mean()
    return w, float(b)
