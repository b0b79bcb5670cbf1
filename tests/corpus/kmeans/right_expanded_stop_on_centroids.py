# why: distances as |x|² − 2x·c + |c|² with one matmul; stops when the centroids stop moving (equivalent)
import numpy as np


def _sq_dists(X, C):
    return (X * X).sum(1)[:, None] - 2.0 * X @ C.T + (C * C).sum(1)[None, :]


def kmeans(X, init_centroids, max_iters=100):
    C = np.array(init_centroids, dtype=np.float64, copy=True)
    k = C.shape[0]
    for _ in range(max_iters):
        labels = np.argmin(_sq_dists(X, C), axis=1)
        counts = np.bincount(labels, minlength=k)
        sums = np.zeros_like(C)
        np.add.at(sums, labels, X)
        moved = np.where(counts[:, None] > 0, sums / np.maximum(counts, 1)[:, None], C)
        if np.array_equal(moved, C):
            break
        C = moved
    labels = np.argmin(_sq_dists(X, C), axis=1)
    inertia = float(np.sum((X - C[labels]) ** 2))
    return C, labels, inertia
