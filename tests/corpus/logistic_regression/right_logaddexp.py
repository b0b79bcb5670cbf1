# why: σ(z) = exp(−log(1 + e^−z)) via np.logaddexp; gradient with einsum; b kept as a 0-d array
import numpy as np


def predict_proba(X, w, b):
    z = np.einsum("nd,d->n", np.asarray(X, dtype=np.float64), w) + b
    return np.exp(-np.logaddexp(0.0, -z))


def fit_logistic_regression(X, y, lr=0.1, epochs=100, l2=0.0):
    X = np.asarray(X, dtype=np.float64)
    targets = np.asarray(y).astype(np.float64)
    w = np.zeros(X.shape[1])
    b = np.zeros(())
    for _ in range(epochs):
        delta = predict_proba(X, w, b) - targets
        grad_w = np.einsum("nd,n->d", X, delta) / len(targets) + l2 * w
        grad_b = np.mean(delta)
        w, b = w - lr * grad_w, b - lr * grad_b
    return w, b
