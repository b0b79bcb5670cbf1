# expect: integer numpy array of labels
# why: fills the labels into np.zeros(n), a float array
import numpy as np


def kmeans(X, init_centroids, max_iters=100):
    C = np.array(init_centroids, dtype=float)
    n = len(X)

    def assign():
        out = np.zeros(n)
        for i in range(n):
            out[i] = np.argmin(((C - X[i]) ** 2).sum(axis=1))
        return out

    prev = None
    for _ in range(max_iters):
        labels = assign()
        if prev is not None and np.array_equal(labels, prev):
            break
        for j in range(len(C)):
            if (labels == j).any():
                C[j] = X[labels == j].mean(axis=0)
        prev = labels
    labels = assign()
    return C, labels, float(((X - C[labels.astype(int)]) ** 2).sum())
