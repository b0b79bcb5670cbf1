"""The reference BatchNorm1d against torch.nn.BatchNorm1d (forward, running statistics) and
autograd through F.batch_norm (backward), float64."""
import numpy as np
import pytest
import torch
import torch.nn.functional as F

from tests.helpers import load_solution

ref = load_solution("batchnorm")


@pytest.mark.parametrize("n, c, momentum, eps", [(2, 3, 0.1, 1e-5), (5, 4, 0.5, 1e-3), (16, 7, 1.0, 1e-5),
                                                 (8, 5, 0.0, 1e-5), (3, 1, 0.1, 1e-5)])
@pytest.mark.parametrize("scale", [1.0, 1e-3])
def test_training_steps_and_eval_match_torch(n, c, momentum, eps, scale):
    rng = np.random.default_rng(n * 100 + c)
    bn = ref.BatchNorm1d(c, eps=eps, momentum=momentum)
    tb = torch.nn.BatchNorm1d(c, eps=eps, momentum=momentum, dtype=torch.float64)
    for step in range(5):
        if step == 2:  # gamma and beta reassigned mid-way
            g, b = rng.standard_normal(c), rng.standard_normal(c)
            bn.gamma, bn.beta = g.copy(), b.copy()
            with torch.no_grad():
                tb.weight.copy_(torch.tensor(g)), tb.bias.copy_(torch.tensor(b))
        x = rng.standard_normal((n, c)) * scale + rng.uniform(-2, 2, c)
        x_before = x.copy()
        y = bn.forward(x) if step % 2 else bn.forward(x, training=True)
        tb.train()
        ty = tb(torch.tensor(x)).detach().numpy()
        assert np.array_equal(x, x_before) and y.dtype == np.float64
        np.testing.assert_allclose(y, ty, rtol=1e-10, atol=1e-12)
        np.testing.assert_allclose(bn.running_mean, tb.running_mean.numpy(), rtol=1e-12, atol=1e-14)
        np.testing.assert_allclose(bn.running_var, tb.running_var.numpy(), rtol=1e-12, atol=1e-14)
    tb.eval()
    for size in (1, n, 7):
        x = rng.standard_normal((size, c))
        mean_before, var_before = bn.running_mean.copy(), bn.running_var.copy()
        np.testing.assert_allclose(bn.forward(x, training=False), tb(torch.tensor(x)).detach().numpy(),
                                   rtol=1e-10, atol=1e-12)
        assert np.array_equal(bn.running_mean, mean_before) and np.array_equal(bn.running_var, var_before)


def test_eval_with_assigned_running_statistics():
    rng = np.random.default_rng(4)
    bn = ref.BatchNorm1d(4)
    rm, rv = rng.standard_normal(4), rng.uniform(0.1, 3, 4)
    bn.running_mean, bn.running_var = rm.copy(), rv.copy()
    x = rng.standard_normal((3, 4))
    want = F.batch_norm(torch.tensor(x), torch.tensor(rm), torch.tensor(rv), training=False, eps=1e-5)
    np.testing.assert_allclose(bn.forward(x, training=False), want.numpy(), rtol=1e-12, atol=1e-14)


@pytest.mark.parametrize("n, c, eps", [(2, 1, 1e-5), (3, 2, 1e-3), (5, 4, 1e-5), (16, 7, 1e-5)])
def test_backward_matches_autograd_twice_in_a_row(n, c, eps):
    rng = np.random.default_rng(n + c)
    bn = ref.BatchNorm1d(c, eps=eps)
    for _ in range(2):
        g, b = rng.standard_normal(c), rng.standard_normal(c)
        bn.gamma, bn.beta = g.copy(), b.copy()
        x, dy = rng.standard_normal((n, c)) * 2 + 1, rng.standard_normal((n, c))
        bn.forward(x, training=True)
        dy_before = dy.copy()
        dx = bn.backward(dy)
        assert np.array_equal(dy, dy_before)
        xt, gt, bt = (torch.tensor(v, requires_grad=True) for v in (x, g, b))
        y = F.batch_norm(xt, None, None, gt, bt, training=True, eps=eps)
        (y * torch.tensor(dy)).sum().backward()
        np.testing.assert_allclose(dx, xt.grad.numpy(), rtol=1e-9, atol=1e-12)
        np.testing.assert_allclose(bn.dgamma, gt.grad.numpy(), rtol=1e-10, atol=1e-12)
        np.testing.assert_allclose(bn.dbeta, bt.grad.numpy(), rtol=1e-10, atol=1e-12)


def test_initial_attributes():
    bn = ref.BatchNorm1d(3)
    tb = torch.nn.BatchNorm1d(3, dtype=torch.float64)
    for mine, theirs in ((bn.gamma, tb.weight), (bn.beta, tb.bias), (bn.running_mean, tb.running_mean),
                         (bn.running_var, tb.running_var)):
        assert mine.dtype == np.float64 and np.array_equal(mine, theirs.detach().numpy())


@pytest.mark.parametrize("shape, training", [((1, 3), True), ((3,), True), ((3,), False), ((2, 3, 1), True),
                                             ((4, 2), False), ((4, 5), True)])
def test_errors(shape, training):
    with pytest.raises(ValueError):
        ref.BatchNorm1d(3).forward(np.ones(shape), training=training)
    if shape == (1, 3):  # torch agrees on the N = 1 training batch
        with pytest.raises(ValueError):
            torch.nn.BatchNorm1d(3)(torch.ones(1, 3))


def test_eval_accepts_a_single_row():
    assert ref.BatchNorm1d(3).forward(np.ones((1, 3)), training=False).shape == (1, 3)
