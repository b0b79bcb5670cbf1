import numpy as np


def _sigmoid(z: np.ndarray) -> np.ndarray:
    """σ(z) without overflow: exp is only ever taken of a non-positive number."""
    e = np.exp(-np.abs(z))  # in (0, 1]; underflows harmlessly to 0 for |z| > 745
    return np.where(z >= 0, 1.0 / (1.0 + e), e / (1.0 + e))


def predict_proba(X, w, b) -> np.ndarray:
    """σ(X @ w + b), shape (n,), float64, exact for any z (no clipping)."""
    X = np.asarray(X, dtype=np.float64)
    return _sigmoid(X @ np.asarray(w, dtype=np.float64) + float(b))


def fit_logistic_regression(X, y, lr=0.1, epochs=100, l2=0.0) -> tuple[np.ndarray, float]:
    """Exactly `epochs` full-batch gradient-descent steps from w = 0, b = 0 on
    mean BCE + (l2 / 2) * ||w||^2 (the bias is not penalised)."""
    X = np.asarray(X, dtype=np.float64)
    y = np.asarray(y, dtype=np.float64)
    n, d = X.shape
    w, b = np.zeros(d), 0.0
    for _ in range(epochs):
        residual = predict_proba(X, w, b) - y  # dL/dz of the mean BCE, times n
        grad_w = X.T @ residual / n + l2 * w
        grad_b = residual.mean()              # both gradients from the same p
        w = w - lr * grad_w
        b = b - lr * grad_b
    return w, float(b)
