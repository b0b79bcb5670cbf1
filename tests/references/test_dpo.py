"""The DPO reference against F.cross_entropy, explicit loops, closed-form gradients and the
paper's edge values (ln 2 at h = 0, exactness at |h| = 1e4)."""
import math

import pytest
import torch
import torch.nn.functional as F

from tests.helpers import load_solution

ref = load_solution("dpo")
f64 = torch.float64


def loop_logps(logits, labels, ignore):
    out = []
    for b in range(logits.shape[0]):
        total = 0.0
        for t in range(logits.shape[1] - 1):
            y = int(labels[b, t + 1])
            if y == ignore:
                continue
            row = logits[b, t].tolist()
            m = max(row)
            total += row[y] - (m + math.log(sum(math.exp(v - m) for v in row)))
        out.append(total)
    return out


@pytest.mark.parametrize("seed", range(8))
@pytest.mark.parametrize("ignore", [-100, -1, 0])
def test_sequence_log_probs_vs_loops_and_cross_entropy(seed, ignore):
    g = torch.Generator().manual_seed(seed)
    B, T, V = 1 + seed % 4, 2 + seed, 2 + 6 * seed
    logits = torch.randn(B, T, V, generator=g, dtype=f64) * 2
    labels = torch.randint(0, V, (B, T), generator=g)
    drop = torch.rand(B, T, generator=g) < 0.3
    labels[drop] = ignore
    labels[0, :] = ignore if seed % 3 == 0 else labels[0, :]           # sometimes a fully ignored row
    before = labels.clone()
    x = logits.clone().requires_grad_(True)
    got = ref.sequence_log_probs(x, labels, ignore_index=ignore)
    assert torch.equal(labels, before)
    assert got.shape == (B,) and got.dtype == f64
    assert got.tolist() == pytest.approx(loop_logps(logits, labels, ignore), rel=1e-12, abs=1e-12)
    y = logits.clone().requires_grad_(True)
    ce = -F.cross_entropy(y[:, :-1].reshape(-1, V), labels[:, 1:].reshape(-1), ignore_index=ignore,
                          reduction="none").view(B, T - 1).sum(1)
    w = torch.randn(B, generator=g, dtype=f64)
    (gx,) = torch.autograd.grad((got * w).sum(), x)
    (gy,) = torch.autograd.grad((ce * w).sum(), y)
    assert torch.allclose(gx, gy, rtol=1e-12, atol=1e-14)


def test_sequence_log_probs_float32_and_empty_row():
    logits = torch.randn(2, 4, 5, dtype=torch.float32)
    labels = torch.tensor([[-100, -100, -100, -100], [-100, 1, 2, -100]])
    got = ref.sequence_log_probs(logits, labels)
    assert got.dtype == torch.float32 and got[0].item() == 0.0


def closed_form(pc, pr, rc, rr, beta):
    h = beta * ((pc - rc) - (pr - rr))
    loss = sum(math.log1p(math.exp(-v)) if v > -30 else -v + math.log1p(math.exp(v)) for v in h.tolist()) / len(h)
    dh = [-(1 - 1 / (1 + math.exp(-v))) / len(h) for v in h.tolist()]   # d(-logsigmoid)/dh / B
    return loss, [beta * d for d in dh], [-beta * d for d in dh]


@pytest.mark.parametrize("seed", range(10))
def test_dpo_loss_vs_closed_form(seed):
    g = torch.Generator().manual_seed(seed)
    B, beta = 1 + seed % 4, [0.1, 0.25, 0.5][seed % 3]
    pc, pr, rc, rr = (-torch.rand(B, generator=g, dtype=f64) * 20 for _ in range(4))
    leaves = [t.clone().requires_grad_(True) for t in (pc, pr, rc, rr)]
    loss, chosen, rejected = ref.dpo_loss(*leaves, beta=beta)
    want, g_pc, g_pr = closed_form(pc, pr, rc, rr, beta)
    assert loss.dim() == 0 and loss.item() == pytest.approx(want, rel=1e-12)
    assert not chosen.requires_grad and not rejected.requires_grad
    assert torch.allclose(chosen, beta * (pc - rc)) and torch.allclose(rejected, beta * (pr - rr))
    loss.backward()
    assert leaves[0].grad.tolist() == pytest.approx(g_pc, rel=1e-10)
    assert leaves[1].grad.tolist() == pytest.approx(g_pr, rel=1e-10)
    assert leaves[2].grad is None and leaves[3].grad is None          # the reference is frozen


@pytest.mark.parametrize("B,beta", [(1, 0.1), (3, 0.5)])
def test_policy_equal_reference_gives_ln2_and_half_gradient(B, beta):
    pc, pr = -torch.rand(B, dtype=f64) * 10, -torch.rand(B, dtype=f64) * 10
    x, y = pc.clone().requires_grad_(True), pr.clone().requires_grad_(True)
    loss, _, _ = ref.dpo_loss(x, y, pc, pr, beta=beta)
    assert loss.item() == pytest.approx(math.log(2), rel=1e-15)
    loss.backward()
    assert torch.allclose(x.grad, torch.full((B,), -beta / (2 * B), dtype=f64))
    assert torch.allclose(y.grad, torch.full((B,), beta / (2 * B), dtype=f64))


def test_far_margins_are_exact_with_finite_gradient():
    pc = torch.tensor([-1.0, -1.0], dtype=f64, requires_grad=True)
    pr = torch.tensor([-1.0, -1.0], dtype=f64, requires_grad=True)
    rc = torch.tensor([-1.0, -1.0 - 1e5], dtype=f64)       # h = +1e4 for row 1
    rr = torch.tensor([-1.0 - 1e5, -1.0], dtype=f64)       # h = −1e4 for row 0
    loss, _, _ = ref.dpo_loss(pc, pr, rc, rr, beta=0.1)
    assert loss.item() == pytest.approx(1e4 / 2, rel=1e-15)
    loss.backward()
    assert torch.isfinite(pc.grad).all() and pc.grad.tolist() == pytest.approx([-0.05, 0.0], abs=1e-15)
