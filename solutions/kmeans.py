import numpy as np


def _nearest(X: np.ndarray, C: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Index of the nearest centroid for every point (ties -> lowest index) and the squared distances."""
    sq = ((X[:, None, :] - C[None, :, :]) ** 2).sum(axis=2)  # (n, k); exact for integer data
    labels = sq.argmin(axis=1)                                 # argmin keeps the first minimum
    return labels, sq[np.arange(len(X)), labels]


def kmeans(X, init_centroids, max_iters=100) -> tuple[np.ndarray, np.ndarray, float]:
    """Lloyd's algorithm from init_centroids; at most max_iters centroid updates.

    Returns (centroids (k, d) float64, labels (n,) int, inertia float), the labels and the
    inertia taken against the returned centroids.
    """
    X = np.asarray(X, dtype=np.float64)
    C = np.array(init_centroids, dtype=np.float64)  # a copy: the caller's init is not touched
    previous = None
    for _ in range(max_iters):
        labels, _ = _nearest(X, C)
        if previous is not None and np.array_equal(labels, previous):
            break  # same assignment, same means: converged
        for j in range(len(C)):
            members = X[labels == j]
            if len(members):  # an empty cluster keeps its position
                C[j] = members.mean(axis=0)
        previous = labels
    labels, sq = _nearest(X, C)
    return C, labels, float(sq.sum())
