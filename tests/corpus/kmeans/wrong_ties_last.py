# expect: ties go to the last centroid
# why: a hand-written nearest-centroid loop with <=, so a tie moves the point to the later centroid
import numpy as np


def _assign(X, C):
    labels = np.zeros(len(X), dtype=int)
    for i, x in enumerate(X):
        best = np.inf
        for j, c in enumerate(C):
            dist = float(((x - c) ** 2).sum())
            if dist <= best:
                best, labels[i] = dist, j
    return labels


def kmeans(X, init_centroids, max_iters=100):
    C = np.array(init_centroids, dtype=float)
    prev = None
    for _ in range(max_iters):
        labels = _assign(X, C)
        if prev is not None and (labels == prev).all():
            break
        for j in range(len(C)):
            if (labels == j).any():
                C[j] = X[labels == j].mean(axis=0)
        prev = labels
    labels = _assign(X, C)
    return C, labels, float(((X - C[labels]) ** 2).sum())
