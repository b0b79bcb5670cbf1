# expect: \*first\* entry
# why: makes each row's first entry positive instead of its entry of largest absolute value
import numpy as np


def pca(X, k):
    n, d = X.shape
    if not 1 <= k <= min(n, d):
        raise ValueError("k out of range")
    Xc = X - X.mean(axis=0)
    _, s, Vt = np.linalg.svd(Xc, full_matrices=False)
    V = Vt[:k] * np.where(Vt[:k, :1] < 0, -1.0, 1.0)
    return V, s[:k] ** 2 / (n - 1), Xc @ V.T
