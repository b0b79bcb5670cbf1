# expect: between samples|rowvar
# why: np.cov(X) treats every row as a variable: an n × n covariance of the samples
import numpy as np


def pca(X, k):
    n, d = X.shape
    if not 1 <= k <= min(n, d):
        raise ValueError("k out of range")
    Xc = X - X.mean(axis=0)
    vals, vecs = np.linalg.eigh(np.cov(X))
    order = np.argsort(vals)[::-1][:k]
    V = vecs[:, order].T
    V = V * np.sign(V[np.arange(k), np.abs(V).argmax(axis=1)])[:, None]
    return V, vals[order], Xc @ V.T
