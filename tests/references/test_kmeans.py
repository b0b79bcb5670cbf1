"""The kmeans reference against a brute-force Lloyd loop in plain Python (math.fsum, explicit
tie rule) and against the properties of the contract."""
import math

import numpy as np
import pytest

from tests.helpers import load_solution

ref = load_solution("kmeans")


def brute(X, init, max_iters):
    pts = [list(map(float, row)) for row in X]
    cents = [list(map(float, row)) for row in init]

    def assign():
        out = []
        for p in pts:
            dists = [math.fsum((a - b) ** 2 for a, b in zip(p, c)) for c in cents]
            best = 0
            for j in range(1, len(cents)):
                if dists[j] < dists[best]:  # strict: ties keep the lowest index
                    best = j
            out.append(best)
        return out

    previous = None
    for _ in range(max_iters):
        labels = assign()
        if labels == previous:
            break
        for j in range(len(cents)):
            members = [p for p, lab in zip(pts, labels) if lab == j]
            if members:
                cents[j] = [math.fsum(col) / len(members) for col in zip(*members)]
        previous = labels
    labels = assign()
    inertia = math.fsum(math.fsum((a - b) ** 2 for a, b in zip(p, cents[lab])) for p, lab in zip(pts, labels))
    return np.array(cents), np.array(labels), inertia


def check(X, init, max_iters):
    X0, init0 = X.copy(), init.copy()
    C, labels, inertia = ref.kmeans(X, init, max_iters)
    np.testing.assert_array_equal(X, X0)
    np.testing.assert_array_equal(init, init0)
    want_C, want_labels, want_inertia = brute(X, init, max_iters)
    assert C.dtype == np.float64 and C.shape == init.shape
    assert labels.dtype.kind == "i" and labels.shape == (len(X),)
    assert type(inertia) is float
    np.testing.assert_array_equal(labels, want_labels)
    np.testing.assert_allclose(C, want_C, rtol=1e-9, atol=1e-12)
    assert inertia == pytest.approx(want_inertia, rel=1e-9, abs=1e-12)
    return C, labels, inertia


def blobs(rng, n, d, k):
    return rng.normal(scale=4.0, size=(k, d))[rng.integers(0, k, size=n)] + rng.normal(size=(n, d))


@pytest.mark.parametrize("n,d,k", [(8, 1, 3), (20, 2, 4), (30, 5, 3), (60, 3, 6), (100, 2, 8)])
@pytest.mark.parametrize("max_iters", [0, 1, 2, 3, 100])
def test_random_data_from_a_corner_init(n, d, k, max_iters):
    rng = np.random.default_rng(n + d + k + max_iters)
    X = blobs(rng, n, d, k)
    check(X, X.min(axis=0) - 1.0 + 0.2 * rng.random((k, d)), max_iters)


@pytest.mark.parametrize("seed", range(4))
def test_init_from_data_and_monotone_inertia(seed):
    rng = np.random.default_rng(seed)
    X = blobs(rng, 80, 3, 4)
    init = X[rng.choice(80, size=4, replace=False)]
    inertias = [check(X, init, m)[2] for m in range(9)]
    assert all(b <= a * (1 + 1e-12) for a, b in zip(inertias, inertias[1:]))


@pytest.mark.parametrize("seed", range(6))
def test_integer_ties_go_to_the_lowest_index(seed):
    rng = np.random.default_rng(seed)
    X = 2520.0 * rng.integers(0, 4, size=(10, 2))
    init = 1260.0 * rng.integers(0, 7, size=(4, 2))
    for iters in (0, 1, 2, 100):
        check(X, init, iters)
    _, labels, _ = ref.kmeans(np.array([[0.0], [2.0], [4.0]]), np.array([[1.0], [3.0]]), 0)
    assert labels.tolist() == [0, 0, 1]


def test_duplicate_init_the_later_copy_loses_the_first_round():
    rng = np.random.default_rng(5)
    X = blobs(rng, 30, 2, 3)
    init = X[[4, 4, 9]]
    _, labels, _ = check(X, init, 0)
    assert not (labels == 1).any()
    C, _, _ = check(X, init, 1)
    np.testing.assert_array_equal(C[1], X[4])  # empty in the first round: kept its position
    for iters in (2, 3, 100):
        assert np.isfinite(check(X, init, iters)[0]).all()


def test_far_centroid_keeps_its_position():
    rng = np.random.default_rng(6)
    X = blobs(rng, 25, 2, 2)
    init = np.vstack([X[:2], [[1e3, 1e3]]])
    C, labels, _ = check(X, init, 100)
    np.testing.assert_array_equal(C[2], [1e3, 1e3])
    assert not (labels == 2).any()


def test_k_1_and_k_n():
    rng = np.random.default_rng(7)
    X = rng.normal(size=(12, 3))
    C, labels, inertia = check(X, np.zeros((1, 3)), 100)
    np.testing.assert_allclose(C[0], X.mean(axis=0), rtol=1e-12)
    assert inertia == pytest.approx(((X - X.mean(axis=0)) ** 2).sum(), rel=1e-12)
    C, labels, inertia = check(X, X.copy(), 100)
    assert labels.tolist() == list(range(12)) and inertia == 0.0


def test_max_iters_zero_returns_init():
    X = np.array([[0.0, 0.0], [5.0, 5.0]])
    init = np.array([[1.0, 1.0], [4.0, 4.0]])
    C, labels, inertia = check(X, init, 0)
    np.testing.assert_array_equal(C, init)
    assert C is not init and inertia == 4.0
