# expect: previous centroids|nearest of your returned centroids
# why: returns the assignment that produced the last update, not the assignment to the returned centroids
import numpy as np


def kmeans(X, init_centroids, max_iters=100):
    C = init_centroids.astype(np.float64)
    labels = ((X[:, None] - C[None]) ** 2).sum(-1).argmin(1)
    for it in range(max_iters):
        if it > 0:
            new = ((X[:, None] - C[None]) ** 2).sum(-1).argmin(1)
            if np.array_equal(new, labels):
                break
            labels = new
        for j in range(C.shape[0]):
            pts = X[labels == j]
            if len(pts):
                C[j] = pts.mean(0)
    inertia = float(((X - C[labels]) ** 2).sum())
    return C, labels, inertia
