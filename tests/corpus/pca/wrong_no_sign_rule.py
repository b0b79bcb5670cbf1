# expect: opposite way
# why: returns the signs LAPACK happens to produce
import numpy as np


def pca(X, k):
    n, d = X.shape
    if not 1 <= k <= min(n, d):
        raise ValueError("k out of range")
    Xc = X - X.mean(axis=0)
    _, s, Vt = np.linalg.svd(Xc, full_matrices=False)
    return Vt[:k], s[:k] ** 2 / (n - 1), Xc @ Vt[:k].T
