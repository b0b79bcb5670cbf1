# expect: became nan
# why: moves every centroid to the mean of its points, even when it has none (mean of nothing = nan)
import numpy as np


def kmeans(X, init_centroids, max_iters=100):
    C = np.array(init_centroids, dtype=float)
    labels = None
    for _ in range(max_iters):
        d = ((X[:, None, :] - C[None]) ** 2).sum(-1)
        new = d.argmin(1)
        if labels is not None and (new == labels).all():
            break
        labels = new
        C = np.array([X[labels == j].mean(axis=0) for j in range(len(C))])
    d = ((X[:, None, :] - C[None]) ** 2).sum(-1)
    labels = d.argmin(1)
    return C, labels, float(d[np.arange(len(X)), labels].sum())
