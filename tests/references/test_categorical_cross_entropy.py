"""The categorical_cross_entropy reference against torch's soft-target cross-entropy."""
import numpy as np
import pytest
import torch
import torch.nn.functional as F

from tests.helpers import load_solution

ref = load_solution("categorical_cross_entropy")


def _torch_ce(logits: np.ndarray, targets: np.ndarray) -> np.ndarray:
    """Per-sample CE computed by torch from logits (exact, no clipping)."""
    return F.cross_entropy(torch.from_numpy(logits), torch.from_numpy(targets), reduction="none").numpy()


def _softmax(z):
    z = z - z.max(axis=1, keepdims=True)
    e = np.exp(z)
    return e / e.sum(axis=1, keepdims=True)


@pytest.mark.parametrize("n,C", [(1, 2), (1, 7), (5, 3), (64, 10), (200, 1000)])
def test_soft_targets_match_torch(n, C):
    rng = np.random.default_rng(n * 1000 + C)
    logits = rng.normal(scale=3.0, size=(n, C))
    targets = rng.dirichlet(np.ones(C), size=n)
    out = ref.categorical_cross_entropy(targets, _softmax(logits))
    assert out.shape == (n,) and out.dtype == np.float64
    np.testing.assert_allclose(out, _torch_ce(logits, targets), rtol=1e-9, atol=1e-12)


@pytest.mark.parametrize("n,C", [(1, 3), (17, 4), (100, 50)])
def test_one_hot_targets_match_nll(n, C):
    rng = np.random.default_rng(7 + n)
    logits = rng.normal(scale=2.0, size=(n, C))
    labels = rng.integers(0, C, size=n)
    one_hot = np.eye(C)[labels]
    expected = F.nll_loss(torch.log_softmax(torch.from_numpy(logits), 1), torch.from_numpy(labels),
                          reduction="none").numpy()
    np.testing.assert_allclose(ref.categorical_cross_entropy(one_hot, _softmax(logits)), expected,
                               rtol=1e-9, atol=1e-12)


def test_example_from_statement():
    y_true = np.array([[1.0, 0.0, 0.0], [0.0, 0.5, 0.5]])
    y_pred = np.array([[0.7, 0.2, 0.1], [0.1, 0.6, 0.3]])
    expected = [-np.log(0.7), -(0.5 * np.log(0.6) + 0.5 * np.log(0.3))]
    np.testing.assert_allclose(ref.categorical_cross_entropy(y_true, y_pred), expected, rtol=1e-12)


@pytest.mark.parametrize("eps", [1e-12, 1e-7, 1e-3])
def test_zero_and_one_probabilities_closed_form(eps):
    y_true = np.array([[1.0, 0.0, 0.0],    # target on a zero probability
                       [0.0, 1.0, 0.0],    # zero probabilities off target, p = 1 on target
                       [0.25, 0.75, 0.0],  # soft target, one zero on a weighted class
                       [0.0, 0.0, 1.0]])
    y_pred = np.array([[0.0, 1.0, 0.0],
                       [0.0, 1.0, 0.0],
                       [0.0, 0.5, 0.5],
                       [0.2, 0.3, 0.5]])
    out = ref.categorical_cross_entropy(y_true, y_pred, eps=eps)
    expected = [-np.log(eps), -np.log1p(-eps), -(0.25 * np.log(eps) + 0.75 * np.log(0.5)), -np.log(0.5)]
    assert np.all(np.isfinite(out))
    np.testing.assert_allclose(out, expected, rtol=1e-12, atol=1e-15)


def test_n_equals_one_keeps_shape():
    out = ref.categorical_cross_entropy(np.array([[0.0, 1.0]]), np.array([[0.4, 0.6]]))
    assert out.shape == (1,)
    np.testing.assert_allclose(out, [-np.log(0.6)])


def test_inputs_unchanged():
    y_true = np.array([[1.0, 0.0], [0.0, 1.0]])
    y_pred = np.array([[0.0, 1.0], [1.0, 0.0]])
    a, b = y_true.copy(), y_pred.copy()
    ref.categorical_cross_entropy(y_true, y_pred)
    np.testing.assert_array_equal(y_true, a)
    np.testing.assert_array_equal(y_pred, b)
