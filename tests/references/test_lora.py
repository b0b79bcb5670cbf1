"""The LoRA reference against the explicit merged-weight formula, autograd, and the
statistics of its initialisation."""
import math

import numpy as np
import pytest
import torch
from scipy import stats

from tests.helpers import load_solution

ref = load_solution("lora")


def randomized(in_f, out_f, rank, alpha, seed=0, dropout=0.0):
    """A module whose lora_B is non-zero (as after some training)."""
    torch.manual_seed(seed)
    m = ref.LoRALinear(in_f, out_f, rank=rank, alpha=alpha, dropout=dropout).double()
    with torch.no_grad():
        m.lora_B.normal_()
    return m.eval()


def explicit(m, x):
    """F.linear with the dense effective weight W + (alpha/rank) B A, in float64."""
    W = m.base.weight.detach() + (alpha_over_rank(m)) * m.lora_B.detach() @ m.lora_A.detach()
    return torch.nn.functional.linear(x, W, m.base.bias.detach())


def alpha_over_rank(m):
    return m.alpha / m.rank


def test_names_shapes_and_defaults():
    m = ref.LoRALinear(10, 6)
    assert isinstance(m.base, torch.nn.Linear)
    assert m.base.weight.shape == (6, 10) and m.base.bias.shape == (6,)
    assert m.lora_A.shape == (8, 10) and m.lora_B.shape == (6, 8)
    assert m.scaling == 16.0 / 8
    assert set(m.state_dict().keys()) == {"base.weight", "base.bias", "lora_A", "lora_B"}
    assert m.merged is False


def test_only_lora_parameters_train():
    m = ref.LoRALinear(10, 6, rank=2)
    trainable = {n for n, p in m.named_parameters() if p.requires_grad}
    assert trainable == {"lora_A", "lora_B"}
    # a few optimizer steps leave the base untouched and move B
    W0, b0 = m.base.weight.clone(), m.base.bias.clone()
    x, y = torch.randn(32, 10), torch.randn(32, 6)
    for _ in range(3):  # plain SGD on whatever requires grad
        m.zero_grad()
        ((m(x) - y) ** 2).mean().backward()
        with torch.no_grad():
            for p in m.parameters():
                if p.requires_grad:
                    p -= 0.1 * p.grad
    assert torch.equal(m.base.weight, W0) and torch.equal(m.base.bias, b0)
    assert m.lora_B.abs().sum() > 0


@pytest.mark.parametrize("in_f,rank", [(256, 16), (1000, 4)])
def test_lora_A_is_kaiming_uniform_a_sqrt5(in_f, rank):
    torch.manual_seed(1)
    A = ref.LoRALinear(in_f, 3, rank=rank).lora_A.detach().double().numpy().ravel()
    bound = 1.0 / math.sqrt(in_f)  # gain sqrt(2/(1+5)), times sqrt(3/fan_in)
    assert np.abs(A).max() <= bound
    assert stats.kstest(A, stats.uniform(loc=-bound, scale=2 * bound).cdf).pvalue > 1e-4


def test_lora_B_starts_at_zero_and_output_equals_base():
    torch.manual_seed(2)
    m = ref.LoRALinear(12, 5, rank=3).double()
    assert torch.equal(m.lora_B, torch.zeros(5, 3, dtype=torch.float64))
    x = torch.randn(4, 7, 12, dtype=torch.float64)
    torch.testing.assert_close(m(x), m.base(x), rtol=0, atol=0)


@pytest.mark.parametrize("in_f,out_f,rank,alpha", [(10, 6, 2, 16.0), (7, 13, 7, 1.0), (32, 32, 4, 32.0), (5, 1, 1, 3.0)])
@pytest.mark.parametrize("shape", [(4,), (3, 5), (2, 3, 4)])
def test_forward_matches_merged_weight_formula(in_f, out_f, rank, alpha, shape):
    m = randomized(in_f, out_f, rank, alpha, seed=rank)
    x = torch.randn(*shape, in_f, dtype=torch.float64)
    out = m(x)
    assert out.shape == (*shape, out_f) and out.dtype == torch.float64
    torch.testing.assert_close(out, explicit(m, x), rtol=1e-10, atol=1e-12)
    # float32 too
    m32 = randomized(in_f, out_f, rank, alpha, seed=rank).float()
    torch.testing.assert_close(m32(x.float()), explicit(m, x).float(), rtol=1e-4, atol=1e-5)


def test_gradients_match_autograd_of_the_formula():
    m = randomized(9, 4, 3, 6.0, seed=3)
    x = torch.randn(5, 9, dtype=torch.float64, requires_grad=True)
    g = torch.randn(5, 4, dtype=torch.float64)
    (m(x) * g).sum().backward()
    A = m.lora_A.detach().clone().requires_grad_(True)
    B = m.lora_B.detach().clone().requires_grad_(True)
    x2 = x.detach().clone().requires_grad_(True)
    W = m.base.weight.detach() + 2.0 * B @ A
    (torch.nn.functional.linear(x2, W, m.base.bias.detach()) * g).sum().backward()
    torch.testing.assert_close(m.lora_A.grad, A.grad)
    torch.testing.assert_close(m.lora_B.grad, B.grad)
    torch.testing.assert_close(x.grad, x2.grad)
    assert m.base.weight.grad is None and m.base.bias.grad is None


def test_merge_unmerge_idempotent():
    m = randomized(11, 7, 3, 8.0, seed=4)
    x = torch.randn(6, 11, dtype=torch.float64)
    W0 = m.base.weight.detach().clone()
    y = m(x)
    m.merge()
    assert m.merged is True
    torch.testing.assert_close(m.base.weight, W0 + m.scaling * m.lora_B.detach() @ m.lora_A.detach())
    torch.testing.assert_close(m(x), y)
    W1 = m.base.weight.detach().clone()
    m.merge()  # twice: no change
    assert torch.equal(m.base.weight, W1)
    torch.testing.assert_close(m(x), y)
    m.unmerge()
    assert m.merged is False
    torch.testing.assert_close(m.base.weight, W0, rtol=1e-12, atol=1e-14)
    m.unmerge()  # not merged: no change
    torch.testing.assert_close(m.base.weight, W0, rtol=1e-12, atol=1e-14)
    torch.testing.assert_close(m(x), y)
    assert "merged" not in m.state_dict()


def test_load_state_dict_strict_roundtrip():
    src = randomized(8, 5, 2, 4.0, seed=5)
    dst = ref.LoRALinear(8, 5, rank=2, alpha=4.0).double().eval()
    dst.load_state_dict(src.state_dict(), strict=True)
    x = torch.randn(3, 8, dtype=torch.float64)
    torch.testing.assert_close(dst(x), src(x), rtol=0, atol=0)


def test_dropout_only_on_the_lora_branch():
    torch.manual_seed(6)
    d, p = 16, 0.5
    m = ref.LoRALinear(d, d, rank=d, alpha=float(d), dropout=p).double().train()  # scaling 1
    x = torch.randn(200, d, dtype=torch.float64)
    # lora_B = 0: dropout must not touch the frozen path, even in train mode
    torch.testing.assert_close(m(x), m.base(x), rtol=0, atol=0)
    # A = B = I: the branch is exactly dropout(x): each entry is 0 or x / (1 - p)
    with torch.no_grad():
        m.lora_A.copy_(torch.eye(d))
        m.lora_B.copy_(torch.eye(d))
    delta = (m(x) - m.base(x)).detach()
    kept = delta.abs() > 1e-12
    torch.testing.assert_close(delta[kept], x[kept] / (1 - p))
    assert 0.4 < kept.double().mean() < 0.6
    # eval mode: no dropout at all
    m.eval()
    torch.testing.assert_close(m(x) - m.base(x), x)


@pytest.mark.parametrize("rank", [0, -1])
def test_bad_rank_raises(rank):
    with pytest.raises(ValueError):
        ref.LoRALinear(4, 4, rank=rank)


def test_parameter_count_example_of_the_statement():
    m = ref.LoRALinear(4096, 4096, rank=8)
    n_trainable = sum(p.numel() for p in m.parameters() if p.requires_grad)
    n_frozen = sum(p.numel() for p in m.parameters() if not p.requires_grad)
    assert n_trainable == 65_536 and n_frozen == 4096 * 4096 + 4096
