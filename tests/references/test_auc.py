"""The roc_auc reference against a brute-force pairwise count and scipy's Mann-Whitney U."""
import time

import numpy as np
import pytest
from scipy.stats import mannwhitneyu, rankdata

from tests.helpers import load_solution

ref = load_solution("auc")


def _pairwise(y, s):
    pos, neg = s[y == 1], s[y != 1]
    diff = pos[:, None] - neg[None, :]
    return ((diff > 0).sum() + 0.5 * (diff == 0).sum()) / (len(pos) * len(neg))


def _mwu(y, s):
    pos, neg = s[y == 1], s[y != 1]
    return mannwhitneyu(pos, neg, alternative="two-sided", method="asymptotic").statistic / (len(pos) * len(neg))


def _data(rng, n, n_values=None, p=0.5):
    y = (rng.random(n) < p).astype(np.int64)
    y[0], y[1] = 1, 0  # both classes present
    s = rng.integers(0, n_values, n).astype(np.float64) if n_values else rng.normal(size=n)
    return y, s


@pytest.mark.parametrize("n,n_values,p", [(2, None, 0.5), (10, None, 0.5), (57, 3, 0.5), (200, 2, 0.1),
                                          (300, 7, 0.9), (500, None, 0.3), (1000, 50, 0.5), (64, 1, 0.5)])
def test_against_brute_force_and_mannwhitneyu(n, n_values, p):
    rng = np.random.default_rng(n + (n_values or 0))
    y, s = _data(rng, n, n_values, p)
    out = ref.roc_auc(y, s)
    assert isinstance(out, float)
    np.testing.assert_allclose(out, _pairwise(y, s), rtol=1e-12, atol=1e-15)
    np.testing.assert_allclose(out, _mwu(y, s), rtol=1e-10, atol=1e-14)


def test_rank_formula_on_heavy_ties():
    rng = np.random.default_rng(2)
    y, s = _data(rng, 5000, 4)
    r = rankdata(s)  # average ranks for ties
    n_pos = (y == 1).sum()
    expected = (r[y == 1].sum() - n_pos * (n_pos + 1) / 2) / (n_pos * (len(y) - n_pos))
    np.testing.assert_allclose(ref.roc_auc(y, s), expected, rtol=1e-12)


def test_order_independence_with_ties():
    rng = np.random.default_rng(4)
    y, s = _data(rng, 400, 3)
    base = ref.roc_auc(y, s)
    for _ in range(5):
        perm = rng.permutation(len(y))
        assert ref.roc_auc(y[perm], s[perm]) == base
    order = np.lexsort((y, s))  # positives after negatives inside each tie group
    assert ref.roc_auc(y[order], s[order]) == base
    order = np.lexsort((-y, s))
    assert ref.roc_auc(y[order], s[order]) == base


def test_perfect_inverted_constant_and_examples():
    y = np.array([0, 0, 1, 0, 1, 1, 1])
    s = np.array([0.1, 0.2, 0.7, 0.3, 0.8, 0.9, 0.75])
    assert ref.roc_auc(y, s) == 1.0
    assert ref.roc_auc(y, -s) == 0.0
    assert ref.roc_auc(y, np.full(7, 0.3)) == 0.5
    assert ref.roc_auc(np.array([1, 0, 1, 1, 0, 1]), np.array([0.9, 0.2, 0.8, 0.7, 0.3, 0.6])) == 1.0
    np.testing.assert_allclose(ref.roc_auc(np.array([1, 0, 1, 0, 1]), np.array([0.8, 0.8, 0.4, 0.4, 0.9])), 4 / 6)
    # single positive / single negative
    assert ref.roc_auc(np.array([0, 0, 1, 0]), np.array([0.1, 0.5, 0.3, 0.2])) == 2 / 3
    assert ref.roc_auc(np.array([True, True, False]), np.array([0.5, 0.1, 0.5])) == 0.25


def test_label_dtypes():
    rng = np.random.default_rng(8)
    y, s = _data(rng, 300, 10)
    expected = _pairwise(y, s)
    for yy in (y.astype(bool), y.astype(np.float64), y.astype(np.int8), list(y)):
        np.testing.assert_allclose(ref.roc_auc(np.asarray(yy), s), expected, rtol=1e-12)


@pytest.mark.parametrize("y,s", [
    (np.array([0, 1, 0]), np.array([0.1, 0.2])),
    (np.array([0, 0, 0]), np.array([0.1, 0.2, 0.3])),
    (np.array([1, 1]), np.array([0.1, 0.2])),
    (np.array([1.0]), np.array([0.3])),
])
def test_value_errors(y, s):
    with pytest.raises(ValueError):
        ref.roc_auc(y, s)


def test_million_scores_fast_and_exact():
    rng = np.random.default_rng(0)
    n = 10**6
    y = (rng.random(n) < 0.3).astype(np.int64)
    s = rng.integers(0, 1000, n).astype(np.float64)
    y0, s0 = y.copy(), s.copy()
    t = time.perf_counter()
    out = ref.roc_auc(y, s)
    assert time.perf_counter() - t < 3.0
    np.testing.assert_allclose(out, _mwu(y, s), rtol=1e-10)
    np.testing.assert_array_equal(y, y0)
    np.testing.assert_array_equal(s, s0)
