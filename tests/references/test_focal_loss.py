"""The focal-loss reference against F.cross_entropy, a numpy loop and finite differences."""
import math

import numpy as np
import pytest
import torch
import torch.nn.functional as F
from scipy.special import logsumexp

from tests.helpers import load_solution

ref = load_solution("focal_loss")


def loop_focal(logits, targets, alpha, gamma, reduction):
    lg, y = logits.detach().numpy(), targets.numpy()
    out = []
    for i in range(lg.shape[0]):
        log_pt = lg[i, y[i]] - logsumexp(lg[i])
        if alpha is None:
            a = 1.0
        elif isinstance(alpha, float):
            a = alpha
        else:
            a = alpha[y[i]]
        out.append(-a * (1 - math.exp(log_pt)) ** gamma * log_pt)
    out = np.array(out)
    return {"none": out, "sum": out.sum(), "mean": out.mean()}[reduction]


def data(seed, N=9, C=5, scale=2.0):
    g = torch.Generator().manual_seed(seed)
    logits = torch.randn(N, C, generator=g, dtype=torch.float64) * scale
    targets = torch.randint(0, C, (N,), generator=g)
    targets[0] = C - 1          # a target > 0 always present
    return logits, targets


@pytest.mark.parametrize("reduction", ["none", "mean", "sum"])
def test_gamma_zero_alpha_none_is_cross_entropy(reduction):
    logits, targets = data(0)
    got = ref.FocalLoss(gamma=0.0, reduction=reduction)(logits, targets)
    want = F.cross_entropy(logits, targets, reduction=reduction)
    torch.testing.assert_close(got, want, rtol=1e-12, atol=1e-15)


@pytest.mark.parametrize("alpha", [None, 0.25, 3.0, [0.1, 0.2, 0.3, 0.15, 0.25], (1.0, 2.0, 0.5, 4.0, 0.3)])
@pytest.mark.parametrize("gamma", [0.0, 0.5, 2.0, 5.0])
@pytest.mark.parametrize("reduction", ["none", "mean", "sum"])
def test_vs_loop(alpha, gamma, reduction):
    logits, targets = data(1)
    got = ref.FocalLoss(alpha=alpha, gamma=gamma, reduction=reduction)(logits, targets)
    want = loop_focal(logits, targets, None if alpha is None else
                      (alpha if isinstance(alpha, float) else list(alpha)), gamma, reduction)
    np.testing.assert_allclose(got.numpy(), want, rtol=1e-12, atol=1e-15)
    assert got.dtype == torch.float64


def test_mean_is_plain_mean_not_alpha_weighted():
    logits, targets = data(2)
    alpha = [0.1, 0.2, 0.3, 0.15, 0.25]
    none = ref.FocalLoss(alpha=alpha, reduction="none")(logits, targets)
    mean = ref.FocalLoss(alpha=alpha, reduction="mean")(logits, targets)
    assert mean.item() == pytest.approx(none.mean().item(), rel=1e-14)
    weighted = none.sum() / torch.tensor(alpha, dtype=torch.float64)[targets].sum()
    assert abs(mean.item() - weighted.item()) > 1e-3


@pytest.mark.parametrize("alpha", [None, 0.5, [1.0, 2.0, 3.0]])
@pytest.mark.parametrize("gamma", [0.0, 2.0])
def test_gradients_finite_differences(alpha, gamma):
    logits, targets = data(3, N=5, C=3)
    logits.requires_grad_(True)
    loss = ref.FocalLoss(alpha=alpha, gamma=gamma, reduction="sum")
    assert torch.autograd.gradcheck(lambda x: loss(x, targets), (logits,))


def test_gamma_zero_gradient_is_cross_entropy_gradient():
    logits, targets = data(4)
    a = logits.clone().requires_grad_(True)
    b = logits.clone().requires_grad_(True)
    ref.FocalLoss(gamma=0.0)(a, targets).backward()
    F.cross_entropy(b, targets).backward()
    torch.testing.assert_close(a.grad, b.grad, rtol=1e-12, atol=1e-15)


@pytest.mark.parametrize("gamma", [0.0, 2.0])
def test_huge_logits_exact(gamma):
    # row 0: target loses by 2000 -> -log p_t = 2000 exactly; row 1: target wins -> 0
    logits = torch.tensor([[1000.0, -1000.0, -1000.0], [-1000.0, 1000.0, -1000.0]],
                          dtype=torch.float64, requires_grad=True)
    targets = torch.tensor([2, 1])
    out = ref.FocalLoss(alpha=[1.0, 1.0, 0.5], gamma=gamma, reduction="none")(logits, targets)
    torch.testing.assert_close(out.detach(), torch.tensor([1000.0, 0.0], dtype=torch.float64))
    out.sum().backward()
    # softmax is one-hot on the winner: gradient alpha_t * (softmax - onehot(target))
    want = torch.tensor([[0.5, 0.0, -0.5], [0.0, 0.0, 0.0]], dtype=torch.float64)
    torch.testing.assert_close(logits.grad, want)
    assert torch.isfinite(logits.grad).all()


def test_invalid_reduction_raises():
    with pytest.raises(ValueError):
        ref.FocalLoss(reduction="avg")(*data(5))


def test_no_state_and_float32():
    m = ref.FocalLoss(alpha=[1.0, 2.0, 3.0, 4.0, 5.0])
    assert len(m.state_dict()) == 0 and len(list(m.parameters())) == 0
    logits, targets = data(6)
    out = m(logits.float(), targets)
    assert out.dtype == torch.float32
    assert out.item() == pytest.approx(m(logits, targets).item(), rel=1e-5)


def test_inputs_not_modified():
    logits, targets = data(7)
    l0, t0 = logits.clone(), targets.clone()
    ref.FocalLoss(alpha=0.25)(logits, targets)
    assert torch.equal(logits, l0) and torch.equal(targets, t0)
