"""The reference dropout against torch's F.dropout (formula, eval, errors, backward through
autograd with torch's own mask) and against exact statistics (scipy)."""
import random

import numpy as np
import pytest
import torch
import torch.nn.functional as F
from scipy import stats

from tests.helpers import KATAS, load_path, load_solution

ref = load_solution("dropout")


@pytest.mark.parametrize("p", [0.1, 0.25, 0.5, 0.9])
@pytest.mark.parametrize("dtype", [np.float64, np.float32])
def test_training_is_f_dropout_formula(p, dtype):
    rng = np.random.default_rng(1)
    x = rng.uniform(0.5, 2.0, (300, 7)).astype(dtype) * np.where(rng.random((300, 7)) < 0.5, -1, 1).astype(dtype)
    x_before = x.copy()
    y, mask = ref.dropout(x, p, True, np.random.default_rng(3))
    assert np.array_equal(x, x_before) and y.dtype == dtype and mask.dtype == np.bool_ and mask.shape == x.shape
    # torch's own output with torch's own mask: the same map from (x, mask) to y
    torch.manual_seed(0)
    yt = F.dropout(torch.from_numpy(x.copy()), p, training=True).numpy()
    mask_t = yt != 0
    rtol = 1e-12 if dtype == np.float64 else 1e-6
    np.testing.assert_allclose(yt[mask_t], x[mask_t] / dtype(1 - p), rtol=rtol)
    np.testing.assert_allclose(y[mask], x[mask].astype(np.float64) / (1 - p), rtol=rtol)
    assert np.all(y[~mask] == 0)


@pytest.mark.parametrize("p", [0.1, 0.25, 0.5, 0.9])
def test_dropped_count_passes_scipy_binomtest(p):
    n = 100_000
    _, mask = ref.dropout(np.ones(n), p, True, np.random.default_rng(11))
    assert stats.binomtest(int(n - mask.sum()), n, p).pvalue > 1e-6


def test_eight_elements_many_calls_are_binomial():
    rng, p = np.random.default_rng(5), 0.3
    counts = np.bincount([8 - ref.dropout(np.ones(8), p, True, rng)[1].sum() for _ in range(4000)], minlength=9)
    expected = stats.binom.pmf(np.arange(9), 8, p) * 4000
    pooled_obs = np.append(counts[:5], counts[5:].sum())
    pooled_exp = np.append(expected[:5], expected[5:].sum())
    assert stats.chisquare(pooled_obs, pooled_exp).pvalue > 1e-6


@pytest.mark.parametrize("p", [0.0, 0.3, 0.9, 1.0])
@pytest.mark.parametrize("dtype", [np.float64, np.float32])
def test_eval_is_identity_like_torch(p, dtype):
    x = np.random.default_rng(2).standard_normal((3, 4)).astype(dtype)
    y, _ = ref.dropout(x, p, False, np.random.default_rng(0))
    assert y.dtype == dtype and np.array_equal(y, x)
    assert np.array_equal(F.dropout(torch.from_numpy(x), p, training=False).numpy(), x)


def test_extremes_like_torch():
    x = np.array([1.0, -2.0, 3.0])
    y, mask = ref.dropout(x, 0.0, True, np.random.default_rng(0))
    assert mask.all() and np.array_equal(y, x)
    y, mask = ref.dropout(x, 1.0, True, np.random.default_rng(0))
    assert not mask.any() and np.array_equal(y, np.zeros(3))
    assert np.array_equal(F.dropout(torch.tensor(x), 1.0, training=True).numpy(), np.zeros(3))


def test_reproducible_and_global_state_untouched():
    x = np.ones((50, 20))
    np_state, py_state = np.random.get_state()[1].copy(), random.getstate()
    a = ref.dropout(x, 0.5, True, np.random.default_rng(7))
    b = ref.dropout(x, 0.5, True, np.random.default_rng(7))
    c = ref.dropout(x, 0.5, True, np.random.default_rng(8))
    assert np.array_equal(a[1], b[1]) and np.array_equal(a[0], b[0]) and not np.array_equal(a[1], c[1])
    assert np.array_equal(np.random.get_state()[1], np_state) and random.getstate() == py_state


@pytest.mark.parametrize("p", [0.0, 0.3, 0.8, 1.0])
@pytest.mark.parametrize("dtype", [torch.float64, torch.float32])
def test_backward_matches_autograd_through_f_dropout(p, dtype):
    gen = torch.Generator().manual_seed(4)
    x = torch.randn(4, 5, generator=gen, dtype=dtype).requires_grad_(True)
    dy = torch.randn(4, 5, generator=gen, dtype=dtype)
    torch.manual_seed(1)
    y = F.dropout(x, p, training=True)
    (y * dy).sum().backward()
    mask = (y != 0).detach().numpy() if p < 1 else np.zeros((4, 5), dtype=bool)
    dy_np = dy.numpy().copy()
    dx = ref.dropout_backward(dy_np, mask, p)
    assert dx.dtype == dy_np.dtype and np.array_equal(dy_np, dy.numpy())
    np.testing.assert_allclose(dx, x.grad.numpy(), rtol=1e-12 if dtype == torch.float64 else 1e-6, atol=0)


@pytest.mark.parametrize("p", [-0.1, 1.5, 1 + 1e-7, -1e-9])
@pytest.mark.parametrize("training", [True, False])
def test_errors_like_torch(p, training):
    with pytest.raises(ValueError):
        ref.dropout(np.ones(3), p, training, np.random.default_rng(0))
    with pytest.raises(ValueError):
        F.dropout(torch.ones(3), p, training=training)


@pytest.mark.parametrize("k, n, p", [(0, 10, 0.3), (3, 10, 0.3), (9, 10, 0.3), (4980, 10_000, 0.5),
                                     (10_400, 100_000, 0.1), (89_000, 100_000, 0.9), (25_600, 100_000, 0.25)])
def test_grader_exact_binomial_test_matches_scipy(k, n, p):
    grader = load_path(KATAS / "dropout" / "grader.py", "_kata_grader_dropout")
    assert grader.binomial_two_sided_p(k, n, p) == pytest.approx(stats.binomtest(k, n, p).pvalue, rel=1e-6,
                                                                  abs=1e-300)
