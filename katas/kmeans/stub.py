import numpy as np


def kmeans(X, init_centroids, max_iters=100) -> tuple[np.ndarray, np.ndarray, float]:
    """Lloyd's k-means from a copy C of init_centroids.

    X: (n, d) float64; init_centroids: (k, d) float64 with 1 <= k <= n; max_iters >= 0.
    Repeat at most max_iters times:
      1. assign each point to its nearest centroid (squared Euclidean distance; ties -> lowest index);
      2. if this assignment equals the previous round's, stop;
      3. move each centroid to the mean of its points (a centroid with no point keeps its position).
    Returns (centroids (k, d) float64, labels (n,) int, inertia float): labels assign each point to
    the nearest *returned* centroid, inertia = sum of squared distances to it.
    Must not modify X or init_centroids. sklearn and scipy.cluster are forbidden.
    """
    raise NotImplementedError
