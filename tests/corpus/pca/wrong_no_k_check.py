# expect: raise ValueError
# why: never checks k; k = 0 returns empty arrays and k too large silently returns fewer rows
import numpy as np


def pca(X, k):
    n = X.shape[0]
    Xc = X - X.mean(axis=0)
    _, s, Vt = np.linalg.svd(Xc, full_matrices=False)
    V = Vt[:k]
    V = V * np.sign(V[np.arange(len(V)), np.abs(V).argmax(axis=1)])[:, None]
    return V, s[:k] ** 2 / (n - 1), Xc @ V.T
