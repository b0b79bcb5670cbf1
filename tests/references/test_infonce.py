"""The InfoNCE reference against a numpy loop and finite-difference gradients."""
import numpy as np
import pytest
import torch
from scipy.special import logsumexp

from tests.helpers import load_solution

ref = load_solution("infonce")


def cos(a, b):
    return float(a @ b / np.linalg.norm(a) / np.linalg.norm(b))


def loop_info_nce(q, p, negs, temperature):
    q, p = q.detach().numpy(), p.detach().numpy()
    B = q.shape[0]
    losses = []
    for i in range(B):
        if negs is not None:
            n = negs.detach().numpy()
            row = [cos(q[i], p[i])] + [cos(q[i], n[i, j]) for j in range(n.shape[1])]
            target = 0
        else:
            row = [cos(q[i], p[j]) for j in range(B)]
            target = i
        row = np.array(row) / temperature
        losses.append(logsumexp(row) - row[target])
    return float(np.mean(losses))


def inputs(seed, B, N, D, scale=1.0):
    g = torch.Generator().manual_seed(seed)
    q = torch.randn(B, D, generator=g, dtype=torch.float64) * scale
    p = q + 0.8 * torch.randn(B, D, generator=g, dtype=torch.float64) * scale
    n = None if N is None else torch.randn(B, N, D, generator=g, dtype=torch.float64) * scale
    return q, p, n


@pytest.mark.parametrize("seed,B,N,D,temp", [
    (0, 4, 10, 16, 0.1), (1, 3, 1, 5, 0.07), (2, 1, 6, 8, 0.1), (3, 5, 3, 4, 1.0),
    (4, 6, None, 12, 0.1), (5, 2, None, 3, 0.5), (6, 7, None, 16, 0.05),
])
def test_value_vs_loop(seed, B, N, D, temp):
    q, p, n = inputs(seed, B, N, D)
    got = ref.info_nce(q, p, n, temperature=temp)
    assert isinstance(got, torch.Tensor) and got.dim() == 0
    assert got.item() == pytest.approx(loop_info_nce(q, p, n, temp), rel=1e-12)


@pytest.mark.parametrize("N", [4, None])
def test_gradients_finite_differences(N):
    q, p, n = inputs(10, 3, N, 5)
    args = (q, p) if N is None else (q, p, n)
    for x in args:
        x.requires_grad_(True)
    assert torch.autograd.gradcheck(lambda *a: ref.info_nce(*a, temperature=0.2), args)


@pytest.mark.parametrize("N", [5, None])
@pytest.mark.parametrize("scale", [1e-3, 1e3])
def test_scale_invariance(N, scale):
    q, p, n = inputs(11, 4, N, 8)
    base = ref.info_nce(q, p, n).item()
    qs, ps = q * scale, p * scale
    ns = None if n is None else n * scale
    assert ref.info_nce(qs, ps, ns).item() == pytest.approx(base, rel=1e-10)
    # each input may be scaled on its own, per row
    rs = torch.logspace(-3, 3, 4, dtype=torch.float64)[:, None]
    assert ref.info_nce(q * rs, p * rs.flip(0), ns).item() == pytest.approx(base, rel=1e-10)


def test_temperature_divides():
    q, p, n = inputs(12, 3, 4, 6)
    hot = ref.info_nce(q, p, n, temperature=10.0).item()
    # at a huge temperature all logits are ~equal: loss -> log(1 + N)
    assert ref.info_nce(q, p, n, temperature=1e8).item() == pytest.approx(np.log(5), rel=1e-6)
    assert hot == pytest.approx(loop_info_nce(q, p, n, 10.0), rel=1e-12)


def test_perfect_alignment_low_temperature():
    q = torch.eye(3, dtype=torch.float64)
    loss = ref.info_nce(q, q * 5, None, temperature=0.01)
    # logits: 100 on the diagonal, 0 elsewhere
    assert loss.item() == pytest.approx(np.log(1 + 2 * np.exp(-100)), rel=1e-9)


def test_inputs_not_modified():
    q, p, n = inputs(13, 3, 4, 6)
    copies = [x.clone() for x in (q, p, n)]
    ref.info_nce(q, p, n)
    for x, c in zip((q, p, n), copies):
        assert torch.equal(x, c)
