"""The pca reference against scipy's LAPACK SVD (gesvd), the eigendecomposition of the covariance
(scipy.linalg.eigh), data built with known singular values, and the sign rule written out."""
import numpy as np
import pytest
import scipy.linalg

from harness.engine.conditioning import orthonormal_columns
from tests.helpers import load_solution

ref = load_solution("pca")


def known(rng, n, d, r, mean):
    axes = orthonormal_columns(rng, d, r).T
    s = 10.0 * 0.75 ** np.arange(r)
    return (orthonormal_columns(rng, n, r, centred=True) * s) @ axes + mean * rng.uniform(-1, 1, size=d), s


def signed(V):
    """Each row's entry of largest absolute value made positive, by an explicit loop."""
    out = V.copy()
    for i, row in enumerate(V):
        j = max(range(len(row)), key=lambda c: abs(row[c]))
        if row[j] < 0:
            out[i] = -row
    return out


@pytest.mark.parametrize("n,d", [(40, 6), (12, 4), (200, 10), (3, 5), (8, 20), (5, 5), (9, 9)])
@pytest.mark.parametrize("mean", [0.0, 100.0, 1e3])
def test_against_lapack_and_covariance(n, d, mean):
    rng = np.random.default_rng(n * d + int(mean))
    r = min(n - 1, d)
    X, s = known(rng, n, d, r, mean)
    X0 = X.copy()
    Xc = X - X.mean(axis=0)
    _, s_lapack, Vt = scipy.linalg.svd(Xc, full_matrices=False, lapack_driver="gesvd")
    evals, evecs = scipy.linalg.eigh(np.cov(X, rowvar=False))
    for k in sorted({1, min(2, r), max(1, r // 2), r}):
        comps, var, Z = ref.pca(X, k)
        np.testing.assert_array_equal(X, X0)
        assert comps.shape == (k, d) and var.shape == (k,) and Z.shape == (n, k)
        np.testing.assert_allclose(comps, signed(Vt[:k]), rtol=1e-6, atol=1e-9)
        np.testing.assert_allclose(comps, signed(evecs[:, ::-1][:, :k].T), rtol=1e-6, atol=1e-9)
        np.testing.assert_allclose(var, s[:k] ** 2 / (n - 1), rtol=1e-9)
        np.testing.assert_allclose(var, evals[::-1][:k], rtol=1e-6, atol=1e-9)
        np.testing.assert_allclose(Z, Xc @ comps.T, rtol=1e-6, atol=1e-9)
        np.testing.assert_allclose(Z.var(axis=0, ddof=1), var, rtol=1e-6)  # variance along each axis
        assert np.all(np.diff(var) < 0)
        biggest = comps[np.arange(k), np.abs(comps).argmax(axis=1)]
        assert np.all(biggest > 0)


def test_above_the_rank_is_accepted():
    rng = np.random.default_rng(2)
    X, s = known(rng, 4, 7, 3, 100.0)
    comps, var, Z = ref.pca(X, 4)
    assert comps.shape == (4, 7) and var[3] < 1e-20
    np.testing.assert_allclose(var[:3], s ** 2 / 3, rtol=1e-9)
    np.testing.assert_allclose(comps @ comps.T, np.eye(4), atol=1e-12)


@pytest.mark.parametrize("k", [0, -1, 4, 3.0, True])
def test_bad_k_raises(k):
    X = np.arange(9.0).reshape(3, 3) ** 2
    with pytest.raises(ValueError):
        ref.pca(X, k)
