# why: σ through tanh (bounded, never overflows); gradients accumulated sample by sample in a loop
import math

import numpy as np


def predict_proba(X, w, b):
    z = np.asarray(X, dtype=np.float64) @ np.asarray(w, dtype=np.float64) + b
    return 0.5 * (1.0 + np.tanh(0.5 * z))


def fit_logistic_regression(X, y, lr=0.1, epochs=100, l2=0.0):
    X = np.asarray(X, dtype=np.float64)
    n, d = X.shape
    w = np.zeros(d)
    b = 0.0
    for _ in range(epochs):
        p = predict_proba(X, w, b)
        gw = np.zeros(d)
        gb = 0.0
        for i in range(n):
            diff = p[i] - float(y[i])
            gw += diff * X[i]
            gb += diff
        gw = gw / n + l2 * w
        gb = gb / n
        w = w - lr * gw
        b = b - lr * gb
    return w, b
