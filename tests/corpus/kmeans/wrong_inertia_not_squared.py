# expect: squared
# why: sums the Euclidean distances instead of their squares
import numpy as np


def kmeans(X, init_centroids, max_iters=100):
    C = np.array(init_centroids, dtype=float)
    prev = None
    for _ in range(max_iters):
        labels = np.argmin(((X[:, None, :] - C[None]) ** 2).sum(-1), axis=1)
        if prev is not None and np.array_equal(labels, prev):
            break
        for j in range(len(C)):
            if np.count_nonzero(labels == j):
                C[j] = X[labels == j].mean(axis=0)
        prev = labels
    labels = np.argmin(((X[:, None, :] - C[None]) ** 2).sum(-1), axis=1)
    return C, labels, float(np.linalg.norm(X - C[labels], axis=1).sum())
