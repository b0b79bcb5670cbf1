"""The softmax_cross_entropy reference against torch autograd (and scipy's logsumexp)."""
import numpy as np
import pytest
import torch
import torch.nn.functional as F
from scipy.special import logsumexp

from tests.helpers import load_solution

ref = load_solution("softmax_cross_entropy")


def _autograd(logits: np.ndarray, labels: np.ndarray):
    z = torch.tensor(logits, dtype=torch.float64, requires_grad=True)
    loss = F.cross_entropy(z, torch.from_numpy(labels).long())
    loss.backward()
    return loss.item(), z.grad.numpy()


def _check(logits, labels, rtol=1e-9, atol=1e-12):
    loss, grad = ref.softmax_cross_entropy(logits.copy(), labels.copy())
    t_loss, t_grad = _autograd(logits, labels)
    assert isinstance(loss, float)
    assert grad.shape == logits.shape and grad.dtype == np.float64
    np.testing.assert_allclose(loss, t_loss, rtol=rtol, atol=atol)
    np.testing.assert_allclose(grad, t_grad, rtol=rtol, atol=atol)
    # independent closed form for the loss value
    np.testing.assert_allclose(loss, np.mean(logsumexp(logits, axis=1) - logits[np.arange(len(labels)), labels]),
                               rtol=rtol, atol=atol)


@pytest.mark.parametrize("n,C,scale", [(1, 2, 1.0), (1, 10, 5.0), (8, 3, 1.0), (64, 10, 3.0),
                                       (33, 100, 10.0), (5, 2, 50.0)])
def test_random_against_autograd(n, C, scale):
    rng = np.random.default_rng(n * 131 + C)
    logits = rng.normal(scale=scale, size=(n, C))
    labels = rng.integers(0, C, size=n)
    _check(logits, labels)


def test_large_logits_are_exact():
    logits = np.array([[1e3, -1e3, 0.0],
                       [-1e3, 1e3, 1e3],
                       [1e3, 1e3, 1e3],
                       [-1e3, -1e3, -999.0]])
    labels = np.array([1, 0, 2, 2])
    loss, grad = ref.softmax_cross_entropy(logits, labels)
    assert np.isfinite(loss) and np.all(np.isfinite(grad))
    per_sample = [2000.0, 2000.0 + np.log(2.0), np.log(3.0), np.log1p(2 * np.exp(-1.0))]
    np.testing.assert_allclose(loss, np.mean(per_sample), rtol=1e-12)
    _check(logits, labels)


def test_random_pm_1e3():
    rng = np.random.default_rng(3)
    logits = rng.choice([-1e3, 1e3], size=(20, 5)) + rng.normal(size=(20, 5))
    labels = rng.integers(0, 5, size=20)
    _check(logits, labels)


@pytest.mark.parametrize("n", [1, 4])
def test_single_class(n):
    logits = np.random.default_rng(n).normal(scale=100, size=(n, 1))
    loss, grad = ref.softmax_cross_entropy(logits, np.zeros(n, dtype=np.int64))
    assert loss == 0.0
    np.testing.assert_array_equal(grad, np.zeros((n, 1)))
    _check(logits, np.zeros(n, dtype=np.int64))


def test_statement_example():
    logits = np.array([[2.0, 1.0, 0.1], [0.5, 2.5, -1.0]])
    loss, grad = ref.softmax_cross_entropy(logits, np.array([0, 2]))
    assert round(loss, 6) == 2.035104
    np.testing.assert_allclose(grad, [[-0.1705, 0.1212, 0.0493], [0.0581, 0.4290, -0.4870]], atol=5e-5)


def test_int32_labels_and_inputs_unchanged():
    rng = np.random.default_rng(11)
    logits = rng.normal(size=(6, 4))
    labels = rng.integers(0, 4, size=6).astype(np.int32)
    a, b = logits.copy(), labels.copy()
    _check(logits, labels)
    ref.softmax_cross_entropy(logits, labels)
    np.testing.assert_array_equal(logits, a)
    np.testing.assert_array_equal(labels, b)


def test_gradient_matches_finite_differences():
    rng = np.random.default_rng(5)
    logits = rng.normal(size=(3, 4))
    labels = np.array([0, 3, 1])
    _, grad = ref.softmax_cross_entropy(logits, labels)
    h = 1e-6
    num = np.zeros_like(logits)
    for idx in np.ndindex(*logits.shape):
        plus, minus = logits.copy(), logits.copy()
        plus[idx] += h
        minus[idx] -= h
        num[idx] = (ref.softmax_cross_entropy(plus, labels)[0] - ref.softmax_cross_entropy(minus, labels)[0]) / (2 * h)
    np.testing.assert_allclose(grad, num, atol=1e-8)
