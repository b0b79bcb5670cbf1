"""The GRPO reference against numpy loops, a closed-form gradient and finite differences."""
import math

import numpy as np
import pytest
import torch

from tests.helpers import load_solution

ref = load_solution("grpo")


# ---------------------------------------------------------------- advantages

@pytest.mark.parametrize("seed,groups,size", [(0, 1, 2), (1, 3, 4), (2, 2, 8), (3, 5, 3)])
def test_advantages_vs_numpy_loop(seed, groups, size):
    rng = np.random.default_rng(seed)
    r = rng.normal(size=groups * size) * 3
    got = ref.group_advantages(torch.from_numpy(r), size)
    want = np.empty_like(r)
    for g in range(groups):
        chunk = r[g * size:(g + 1) * size]
        want[g * size:(g + 1) * size] = (chunk - chunk.mean()) / (chunk.std(ddof=1) + 1e-4)
    assert got.shape == (groups * size,)
    np.testing.assert_allclose(got.numpy(), want, rtol=1e-12, atol=1e-15)


def test_advantages_binary_rewards_closed_form():
    # group [1, 0]: mean 0.5, unbiased std sqrt(0.5)
    got = ref.group_advantages(torch.tensor([1.0, 0.0], dtype=torch.float64), 2, eps=0.0)
    np.testing.assert_allclose(got.numpy(), [0.5 / math.sqrt(0.5), -0.5 / math.sqrt(0.5)])


def test_advantages_equal_rewards_are_zero_and_finite():
    r = torch.tensor([1.0, 1.0, 1.0, 0.0, 1.0, 0.5], dtype=torch.float64)
    got = ref.group_advantages(r, 3)
    assert torch.isfinite(got).all()
    assert torch.equal(got[:3], torch.zeros(3, dtype=torch.float64))


def test_advantages_custom_eps_and_groups_are_consecutive():
    r = torch.tensor([0.0, 2.0, 10.0, 30.0], dtype=torch.float64)
    got = ref.group_advantages(r, 2, eps=0.5)
    s = math.sqrt(2.0)          # unbiased std of a pair differing by 2 is sqrt(2)
    np.testing.assert_allclose(got.numpy(), [-1 / (s + .5), 1 / (s + .5),
                                             -10 / (10 * s + .5), 10 / (10 * s + .5)])


# ---------------------------------------------------------------- loss

def make(seed, B=6, T=7, spread=0.1, far=False, mask_kind="bool"):
    rng = np.random.default_rng(seed)
    logps = -np.abs(rng.normal(size=(B, T))) - 0.1
    old = logps + rng.normal(size=(B, T)) * spread
    if far:   # ratios far outside [1 - eps, 1 + eps] in both directions
        old = logps + rng.choice([-2.0, 2.0], size=(B, T)) + rng.normal(size=(B, T)) * 0.1
    refl = logps + rng.normal(size=(B, T)) * 0.3
    adv = rng.normal(size=B)
    lengths = rng.integers(1, T + 1, size=B)
    lengths[0] = T
    mask = np.arange(T)[None, :] < lengths[:, None]
    m = torch.from_numpy(mask)
    if mask_kind == "float":
        m = m.double()
    # garbage in the padded positions must not matter
    logps = np.where(mask, logps, -50.0)
    return (torch.from_numpy(logps), torch.from_numpy(old), torch.from_numpy(refl),
            torch.from_numpy(adv), m)


def loop_loss(logps, old, refl, adv, mask, eps, beta):
    lp, ol, rf, a, m = (x.detach().double().numpy() for x in (logps, old, refl, adv, mask))
    per_seq = []
    for b in range(lp.shape[0]):
        num, den = 0.0, 0.0
        for t in range(lp.shape[1]):
            if not m[b, t]:
                continue
            r = math.exp(lp[b, t] - ol[b, t])
            surr = min(r * a[b], min(max(r, 1 - eps), 1 + eps) * a[b])
            d = rf[b, t] - lp[b, t]
            kl = math.exp(d) - d - 1
            num += -surr + beta * kl
            den += 1
        per_seq.append(num / den)
    return float(np.mean(per_seq))


def closed_form_grad(logps, old, refl, adv, mask, eps, beta):
    lp, ol, rf, a = (x.detach().numpy() for x in (logps, old, refl, adv))
    m = mask.double().numpy()
    B = lp.shape[0]
    r = np.exp(lp - ol)
    A = a[:, None]
    # the min picks the unclipped term unless the clamp is active and smaller
    clipped_active = ((r > 1 + eps) & (A > 0)) | ((r < 1 - eps) & (A < 0))
    d_surr = np.where(clipped_active, 0.0, r * A)
    d_kl = 1 - np.exp(rf - lp)
    g = (-d_surr + beta * d_kl) * m / m.sum(1, keepdims=True) / B
    return g


CASES = [dict(seed=s, far=f, beta=b, eps=e, mask_kind=k)
         for s, f, b, e, k in [(0, False, 0.04, 0.2, "bool"), (1, True, 0.04, 0.2, "bool"),
                               (2, True, 0.0, 0.2, "float"), (3, False, 0.0, 0.1, "float"),
                               (4, True, 0.5, 0.3, "bool"), (5, False, 0.1, 0.2, "float")]]


@pytest.mark.parametrize("case", CASES)
def test_loss_value_and_gradient(case):
    lp, ol, rf, adv, m = make(case["seed"], far=case["far"], mask_kind=case["mask_kind"])
    lp.requires_grad_(True)
    loss = ref.grpo_loss(lp, ol, rf, adv, m, epsilon=case["eps"], beta=case["beta"])
    assert loss.dim() == 0
    assert loss.item() == pytest.approx(loop_loss(lp, ol, rf, adv, m, case["eps"], case["beta"]),
                                        rel=1e-12, abs=1e-14)
    (g,) = torch.autograd.grad(loss, lp)
    want = closed_form_grad(lp, ol, rf, adv, m, case["eps"], case["beta"])
    np.testing.assert_allclose(g.numpy(), want, rtol=1e-10, atol=1e-14)


def test_gradcheck_finite_differences():
    lp, ol, rf, adv, m = make(7, B=4, T=5, far=True)
    lp.requires_grad_(True)
    assert torch.autograd.gradcheck(
        lambda x: ref.grpo_loss(x, ol, rf, adv, m, epsilon=0.2, beta=0.04), (lp,))


def test_clipped_branch_has_zero_surrogate_gradient():
    # A > 0 and ratio far above 1 + eps: the clamp wins, only the KL term pushes
    lp = torch.zeros(1, 3, dtype=torch.float64, requires_grad=True)
    old = torch.full((1, 3), -3.0, dtype=torch.float64)     # ratio e^3
    ref_lp = torch.zeros(1, 3, dtype=torch.float64)          # KL gradient 0 at ref == logps
    loss = ref.grpo_loss(lp, old, ref_lp, torch.tensor([1.0], dtype=torch.float64),
                         torch.ones(1, 3, dtype=torch.bool))
    assert loss.item() == pytest.approx(-1.2)
    (g,) = torch.autograd.grad(loss, lp)
    assert torch.equal(g, torch.zeros_like(g))
    # A < 0 with the same ratio: the unclipped term is the smaller one and keeps its gradient
    loss = ref.grpo_loss(lp, old, ref_lp, torch.tensor([-1.0], dtype=torch.float64),
                         torch.ones(1, 3, dtype=torch.bool))
    (g,) = torch.autograd.grad(loss, lp)
    np.testing.assert_allclose(g.numpy(), np.full((1, 3), math.exp(3) / 3))


def test_mask_kinds_agree_and_per_sequence_mean():
    lp, ol, rf, adv, m = make(8)
    a = ref.grpo_loss(lp, ol, rf, adv, m)
    b = ref.grpo_loss(lp, ol, rf, adv, m.double())
    assert a.item() == pytest.approx(b.item(), rel=1e-14)
    # per sequence first, then over sequences: not the token-level mean over the batch
    assert len(set(m.sum(1).tolist())) > 1
    mf = m.double()
    token_level = sum((ref.grpo_loss(lp[i:i + 1], ol[i:i + 1], rf[i:i + 1], adv[i:i + 1],
                                     mf[i:i + 1]) * mf[i].sum()).item() for i in range(6))
    token_level /= mf.sum().item()
    assert abs(a.item() - token_level) > 1e-4


def test_inputs_not_modified():
    lp, ol, rf, adv, m = make(9)
    copies = [x.clone() for x in (lp, ol, rf, adv, m)]
    ref.grpo_loss(lp, ol, rf, adv, m)
    ref.group_advantages(adv, 3)
    for x, c in zip((lp, ol, rf, adv, m), copies):
        assert torch.equal(x, c)


@pytest.mark.parametrize("mask_kind", ["bool", "float"])
def test_padded_positions_may_hold_any_finite_values(mask_kind):
    """The statement promises that padded positions do not affect the loss or the gradient,
    whatever finite values they hold: exp(1e4 + ...) overflows, and inf * 0 is nan."""
    lp, ol, rf, adv, m = make(11, far=True, mask_kind=mask_kind)
    pad = ~m.bool()
    assert pad.any()
    wild_lp = torch.where(pad, torch.full_like(lp, 1e4), lp).requires_grad_(True)
    wild_ol = torch.where(pad, torch.full_like(ol, -1e4), ol)
    wild_rf = torch.where(pad, torch.full_like(rf, 3e4), rf)
    loss = ref.grpo_loss(wild_lp, wild_ol, wild_rf, adv, m)
    assert loss.item() == pytest.approx(loop_loss(lp, ol, rf, adv, m, 0.2, 0.04), rel=1e-12, abs=1e-14)
    (g,) = torch.autograd.grad(loss, wild_lp)
    np.testing.assert_allclose(g.numpy(), closed_form_grad(lp, ol, rf, adv, m, 0.2, 0.04), rtol=1e-10, atol=1e-14)
