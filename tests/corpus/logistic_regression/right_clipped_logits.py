# why: clips the logits (not the probabilities) to ±500, where σ is already 1 or below 1e-217
import numpy as np


def _sig(z):
    return 1.0 / (1.0 + np.exp(-np.clip(z, -500.0, 500.0)))


def predict_proba(X, w, b):
    return _sig(np.dot(X, w) + b)


def fit_logistic_regression(X, y, lr=0.1, epochs=100, l2=0.0):
    n, d = np.shape(X)
    w, b = np.zeros(d), 0.0
    step = 0
    while step < epochs:
        g = _sig(np.dot(X, w) + b) - y
        w, b = w - lr * (np.dot(g, X) / n + l2 * w), b - lr * np.mean(g)
        step += 1
    return w, float(b)
