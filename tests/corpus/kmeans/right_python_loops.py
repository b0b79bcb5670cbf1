# why: no broadcasting: nested loops over points and centroids, a dict of members per cluster
import numpy as np


def nearest(point, centroids):
    best_j, best_d = 0, None
    for j, c in enumerate(centroids):
        dist = sum((float(a) - float(b)) ** 2 for a, b in zip(point, c))
        if best_d is None or dist < best_d:
            best_j, best_d = j, dist
    return best_j, best_d


def kmeans(X, init_centroids, max_iters=100):
    cents = [np.array(c, dtype=np.float64) for c in init_centroids]
    last = None
    for _ in range(max_iters):
        assignment = [nearest(x, cents)[0] for x in X]
        if assignment == last:
            break
        groups = {}
        for x, j in zip(X, assignment):
            groups.setdefault(j, []).append(x)
        for j, members in groups.items():
            cents[j] = np.mean(members, axis=0)
        last = assignment
    pairs = [nearest(x, cents) for x in X]
    labels = np.array([j for j, _ in pairs], dtype=np.int64)
    return np.array(cents), labels, float(sum(d for _, d in pairs))
