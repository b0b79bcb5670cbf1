# expect: modified its input
# why: updates the centroids in the caller's init array (no copy)
import numpy as np


def kmeans(X, init_centroids, max_iters=100):
    C = init_centroids
    prev = None
    for _ in range(max_iters):
        labels = np.argmin(((X[:, None, :] - C[None]) ** 2).sum(-1), axis=1)
        if prev is not None and np.array_equal(labels, prev):
            break
        for j in range(len(C)):
            if (labels == j).any():
                C[j] = X[labels == j].mean(axis=0)
        prev = labels
    labels = np.argmin(((X[:, None, :] - C[None]) ** 2).sum(-1), axis=1)
    return C.astype(float), labels, float(((X - C[labels]) ** 2).sum())
