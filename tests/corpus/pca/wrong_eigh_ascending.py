# expect: not sorted by decreasing variance
# why: keeps the k largest eigenpairs of eigh, but in its ascending order
import numpy as np


def pca(X, k):
    n, d = X.shape
    if not 1 <= k <= min(n, d):
        raise ValueError("k out of range")
    Xc = X - X.mean(axis=0)
    vals, vecs = np.linalg.eigh(Xc.T @ Xc / (n - 1))
    V = vecs[:, -k:].T
    V = V * np.sign(V[np.arange(k), np.abs(V).argmax(axis=1)])[:, None]
    return V, vals[-k:], Xc @ V.T
