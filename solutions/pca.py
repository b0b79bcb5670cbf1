import numpy as np


def pca(X, k) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Principal component analysis through the SVD of the centred data.

    Returns (components (k, d), explained_variance (k,), X_reduced (n, k)): components by
    decreasing variance, each row's entry of largest absolute value made positive.
    """
    X = np.asarray(X, dtype=np.float64)
    n, d = X.shape
    if isinstance(k, bool) or not isinstance(k, (int, np.integer)) or not 1 <= k <= min(n, d):
        raise ValueError(f"k must be an int in [1, min(n, d)] = [1, {min(n, d)}], got {k!r}")
    Xc = X - X.mean(axis=0)
    # SVD of Xc, not eigh of the covariance: no squaring of the data's condition, and the
    # singular values come sorted in decreasing order.
    _, s, Vt = np.linalg.svd(Xc, full_matrices=False)
    components = Vt[:k].copy()
    # An eigenvector's sign is arbitrary; fix it (sklearn >= 1.5, svd_flip(u_based_decision=False)).
    biggest = np.argmax(np.abs(components), axis=1)
    signs = np.sign(components[np.arange(k), biggest])
    components *= signs[:, None]
    explained_variance = s[:k] ** 2 / (n - 1)
    return components, explained_variance, Xc @ components.T
