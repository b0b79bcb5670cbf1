# why: eigendecomposition of the feature covariance, eigenpairs re-sorted, signs fixed in a loop
import numpy as np


def pca(X, k):
    n, d = X.shape
    if isinstance(k, bool) or int(k) != k or k < 1 or k > min(n, d):
        raise ValueError(f"bad k: {k}")
    centred = X - X.mean(axis=0, keepdims=True)
    cov = np.cov(centred, rowvar=False).reshape(d, d)
    values, vectors = np.linalg.eigh(cov)
    order = np.argsort(values)[::-1][:k]
    comps = vectors[:, order].T.copy()
    for row in comps:
        if row[np.argmax(np.abs(row))] < 0:
            row *= -1
    variances = np.clip(values[order], 0.0, None)
    return comps, variances, centred @ comps.T
