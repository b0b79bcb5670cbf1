import numpy as np


def pca(X, k) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Principal component analysis of the rows of X.

    X: (n, d) float64, n >= 2; k: an int in [1, min(n, d)], else ValueError.
    Returns (components, explained_variance, X_reduced):
      components (k, d): the top-k principal axes of the centred data, by decreasing variance,
                         each row's entry of largest absolute value positive;
      explained_variance (k,): the variance along each axis, with the n - 1 denominator;
      X_reduced (n, k): the centred data projected on the components.
    Must not modify X. sklearn and torch.pca_lowrank are forbidden.
    """
    raise NotImplementedError
