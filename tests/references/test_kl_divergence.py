"""The kl_divergence reference against scipy.special.rel_entr, scipy.stats.entropy and torch."""
import numpy as np
import pytest
import torch
import torch.nn.functional as F
from scipy.special import rel_entr
from scipy.stats import entropy

from tests.helpers import load_solution

ref = load_solution("kl_divergence")


def _expected(p, q, eps=1e-10):
    # rel_entr(x, y) = x log(x/y) with rel_entr(0, y) = 0: exactly the convention asked for
    return rel_entr(p, np.maximum(q, eps)).sum(axis=-1)


def _dist(rng, shape, zero_frac=0.0):
    d = rng.dirichlet(np.ones(shape[-1]), size=shape[:-1]) if len(shape) > 1 else rng.dirichlet(np.ones(shape[0]))
    if zero_frac:
        mask = rng.random(d.shape) < zero_frac
        d = np.where(mask, 0.0, d)
        d[..., 0] += 1e-3  # keep every row non-empty
        d = d / d.sum(axis=-1, keepdims=True)
    return d


@pytest.mark.parametrize("C", [1, 2, 3, 10, 500])
def test_1d_matches_scipy_entropy(C):
    rng = np.random.default_rng(C)
    p, q = _dist(rng, (C,)), _dist(rng, (C,))
    out = ref.kl_divergence(p, q)
    assert isinstance(out, float)
    np.testing.assert_allclose(out, entropy(p, q), rtol=1e-10, atol=1e-14)
    np.testing.assert_allclose(ref.kl_divergence(q, p), entropy(q, p), rtol=1e-10, atol=1e-14)


@pytest.mark.parametrize("shape", [(1, 4), (7, 3), (64, 20), (2, 3, 5), (4, 1, 2, 6)])
def test_batches_match_torch_kl_div(shape):
    rng = np.random.default_rng(sum(shape))
    p, q = _dist(rng, shape), _dist(rng, shape)
    out = ref.kl_divergence(p, q)
    assert isinstance(out, np.ndarray) and out.shape == shape[:-1]
    # F.kl_div(input=log q, target=p) computes p * (log p - log q) pointwise
    t = F.kl_div(torch.from_numpy(np.log(q)), torch.from_numpy(p), reduction="none").sum(-1).numpy()
    np.testing.assert_allclose(out, t, rtol=1e-10, atol=1e-14)
    np.testing.assert_allclose(out, _expected(p, q), rtol=1e-10, atol=1e-14)


@pytest.mark.parametrize("eps", [1e-10, 1e-4])
def test_zeros_in_p_and_q(eps):
    rng = np.random.default_rng(9)
    p, q = _dist(rng, (50, 6), 0.4), _dist(rng, (50, 6), 0.4)
    assert (p == 0).any() and (q == 0).any() and ((p > 0) & (q == 0)).any() and ((p == 0) & (q == 0)).any()
    out = ref.kl_divergence(p, q, eps=eps)
    assert np.all(np.isfinite(out))
    np.testing.assert_allclose(out, _expected(p, q, eps), rtol=1e-10, atol=1e-14)


def test_statement_examples_closed_form():
    assert round(ref.kl_divergence(np.array([0.1, 0.4, 0.5]), np.array([0.2, 0.3, 0.5])), 6) == 0.045758
    assert round(ref.kl_divergence(np.array([0.2, 0.3, 0.5]), np.array([0.1, 0.4, 0.5])), 6) == 0.052325
    np.testing.assert_allclose(ref.kl_divergence(np.array([0.5, 0.5]), np.array([1.0, 0.0])),
                               0.5 * np.log(0.5) + 0.5 * np.log(0.5 / 1e-10), rtol=1e-12)
    P = np.array([[0.5, 0.5, 0.0], [1.0, 0.0, 0.0]])
    Q = np.array([[0.25, 0.25, 0.5], [0.5, 0.5, 0.0]])
    np.testing.assert_allclose(ref.kl_divergence(P, Q), [np.log(2), np.log(2)], rtol=1e-12)
    assert ref.kl_divergence(np.array([0.3, 0.7]), np.array([0.3, 0.7])) == 0.0


def test_nonnegative_and_zero_iff_equal():
    rng = np.random.default_rng(1)
    p, q = _dist(rng, (200, 5)), _dist(rng, (200, 5))
    assert np.all(ref.kl_divergence(p, q) > 0)
    np.testing.assert_allclose(ref.kl_divergence(p, p), 0.0, atol=1e-15)


@pytest.mark.parametrize("bad", ["neg_p", "neg_q", "sum_p", "sum_q", "sum_p_low", "one_row", "shape", "shape_bcast",
                                 "shape_1d"])
def test_value_errors(bad):
    p = np.array([[0.2, 0.3, 0.5], [0.6, 0.4, 0.0]])
    q = np.array([[0.3, 0.3, 0.4], [0.1, 0.1, 0.8]])
    if bad == "neg_p":
        p = np.array([[0.6, -0.1, 0.5], [0.6, 0.4, 0.0]])
    elif bad == "neg_q":
        q = np.array([[0.3, 0.3, 0.4], [1.1, -0.1, 0.0]])
    elif bad == "sum_p":
        p = p * 1.001
    elif bad == "sum_q":
        q = q + np.array([0.0, 0.0, 1e-3])
    elif bad == "sum_p_low":
        p = p * 0.99
    elif bad == "one_row":
        q = np.array([[0.3, 0.3, 0.4], [0.1, 0.1, 0.7]])
    elif bad == "shape":
        q = np.array([[0.5, 0.5], [0.5, 0.5]])
    elif bad == "shape_bcast":
        q = np.array([0.3, 0.3, 0.4])
    elif bad == "shape_1d":
        p, q = np.array([0.5, 0.5]), np.array([0.2, 0.3, 0.5])
    with pytest.raises(ValueError):
        ref.kl_divergence(p, q)


def test_tiny_rounding_accepted_and_inputs_unchanged():
    p = np.array([0.1, 0.2, 0.7 + 1e-10])
    q = np.array([0.0, 0.5, 0.5])
    a, b = p.copy(), q.copy()
    ref.kl_divergence(p, q)
    np.testing.assert_array_equal(p, a)
    np.testing.assert_array_equal(q, b)
