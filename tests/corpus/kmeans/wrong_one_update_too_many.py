# expect: one update too many
# why: runs max_iters + 1 rounds (counts the initial assignment as round 0)
import numpy as np


def kmeans(X, init_centroids, max_iters=100):
    C = np.copy(init_centroids).astype(float)
    old = None
    for _ in range(max_iters + 1):
        lab = np.argmin(((X[:, None, :] - C[None, :, :]) ** 2).sum(axis=2), axis=1)
        if old is not None and np.array_equal(lab, old):
            break
        for j in range(len(C)):
            if (lab == j).any():
                C[j] = X[lab == j].mean(axis=0)
        old = lab
    sq = ((X[:, None, :] - C[None, :, :]) ** 2).sum(axis=2)
    lab = sq.argmin(axis=1)
    return C, lab, float(sq.min(axis=1).sum())
