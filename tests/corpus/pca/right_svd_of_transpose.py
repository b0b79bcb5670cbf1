# why: the SVD of the transposed centred data (axes are then U's columns), variances from the projections
import numpy as np


def pca(X, k):
    n, d = X.shape
    if not (isinstance(k, (int, np.integer)) and 0 < k <= min(n, d)):
        raise ValueError("k must be an integer between 1 and min(n, d)")
    mu = np.mean(X, axis=0)
    U, _, _ = np.linalg.svd((X - mu).T, full_matrices=False)
    axes = U[:, :k].T
    flip = np.sign(np.take_along_axis(axes, np.argmax(np.abs(axes), axis=1)[:, None], axis=1))
    axes = axes * flip
    projected = np.einsum("nd,kd->nk", X - mu, axes)
    return axes, (projected ** 2).sum(axis=0) / (n - 1), projected
