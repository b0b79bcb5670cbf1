# expect: projects the uncentred X
# why: centres for the axes but projects the raw X
import numpy as np


def pca(X, k):
    n, d = X.shape
    if not 1 <= k <= min(n, d):
        raise ValueError("k out of range")
    Xc = X - X.mean(axis=0)
    _, s, Vt = np.linalg.svd(Xc, full_matrices=False)
    V = Vt[:k] * np.sign(Vt[np.arange(k), np.abs(Vt[:k]).argmax(axis=1)])[:, None]
    return V, s[:k] ** 2 / (n - 1), X @ V.T
