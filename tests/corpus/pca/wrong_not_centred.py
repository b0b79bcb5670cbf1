# expect: not centred
# why: takes the SVD of X itself; with means far from 0 the first axis points at the mean
import numpy as np


def pca(X, k):
    n, d = X.shape
    if not 1 <= k <= min(n, d):
        raise ValueError("k out of range")
    _, s, Vt = np.linalg.svd(X, full_matrices=False)
    V = Vt[:k]
    V = V * np.sign(V[np.arange(k), np.abs(V).argmax(axis=1)])[:, None]
    return V, s[:k] ** 2 / (n - 1), (X - X.mean(axis=0)) @ V.T
