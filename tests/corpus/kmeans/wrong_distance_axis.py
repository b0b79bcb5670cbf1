# expect: not a centroid index.*wrong axis
# why: takes the norm over axis 1 (the centroid axis) instead of the feature axis, then argmin over features
import numpy as np


def kmeans(X, init_centroids, max_iters=100):
    C = np.array(init_centroids, dtype=float)
    prev = None
    for _ in range(max_iters):
        labels = np.linalg.norm(X[:, None, :] - C[None, :, :], axis=1).argmin(axis=1)
        if prev is not None and np.array_equal(prev, labels):
            break
        for j in range(len(C)):
            if np.any(labels == j):
                C[j] = X[labels == j].mean(axis=0)
        prev = labels
    labels = np.linalg.norm(X[:, None, :] - C[None, :, :], axis=1).argmin(axis=1)
    inertia = sum(float(((X[i] - C[labels[i]]) ** 2).sum()) for i in range(len(X)) if labels[i] < len(C))
    return C, labels, inertia
