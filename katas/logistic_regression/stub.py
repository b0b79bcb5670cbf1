import numpy as np


def fit_logistic_regression(X, y, lr=0.1, epochs=100, l2=0.0) -> tuple[np.ndarray, float]:
    """Full-batch gradient descent on mean binary cross-entropy + (l2 / 2) * ||w||^2.

    X: (n, d) float64; y: (n,) labels 0/1 (int or float dtype).
    Start from w = zeros(d), b = 0.0 and make exactly `epochs` steps, each from one p = σ(X @ w + b):
        g_w = X.T @ (p - y) / n + l2 * w,   g_b = mean(p - y),
        w <- w - lr * g_w,                  b <- b - lr * g_b.
    Returns (w: (d,) float64 array, b: float). numpy only; must not modify X or y.
    """
    raise NotImplementedError


def predict_proba(X, w, b) -> np.ndarray:
    """σ(X @ w + b) as a (n,) float64 array: accurate for any z, finite and in [0, 1] for |z| up to 1e4."""
    raise NotImplementedError
