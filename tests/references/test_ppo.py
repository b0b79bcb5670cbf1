"""The PPO reference against the direct GAE sums, closed-form special cases, and a per-entry
Python loop (with a hand-derived gradient) for the clipped loss."""
import math

import pytest
import torch

from tests.helpers import load_solution

ref = load_solution("ppo")
f64 = torch.float64


def direct_gae(r, v, d, gamma, lam):
    """A_t = Σ_{k=t}^{end} (γλ)^{k−t} δ_k, end = first terminal step ≥ t, else T − 1."""
    T = len(r)
    delta = [r[k] + gamma * v[k + 1] * (1 - d[k]) - v[k] for k in range(T)]
    adv = []
    for t in range(T):
        end = next((k for k in range(t, T) if d[k]), T - 1)
        adv.append(sum((gamma * lam) ** (k - t) * delta[k] for k in range(t, end + 1)))
    return adv


def make(seed, T, p_done):
    g = torch.Generator().manual_seed(seed)
    r = torch.randn(T, generator=g, dtype=f64)
    v = torch.randn(T + 1, generator=g, dtype=f64)
    d = torch.rand(T, generator=g) < p_done
    return r, v, d


@pytest.mark.parametrize("seed", range(6))
@pytest.mark.parametrize("gamma,lam", [(0.99, 0.95), (0.9, 0.8), (0.97, 0.5), (1.0, 1.0), (0.9, 0.0), (0.0, 0.95)])
def test_gae_matches_direct_sums(seed, gamma, lam):
    r, v, d = make(seed, 1 + 7 * seed, [0.0, 0.2, 0.5][seed % 3])
    for dones in (d, d.to(f64)):
        adv, ret = ref.gae(r, v, dones, gamma=gamma, lam=lam)
        want = direct_gae(r.tolist(), v.tolist(), [int(x) for x in d.tolist()], gamma, lam)
        assert adv.dtype == f64 and adv.shape == (len(r),)
        assert adv.tolist() == pytest.approx(want, rel=1e-12, abs=1e-12)
        assert torch.allclose(ret, adv + v[:-1], rtol=1e-15, atol=0)


def test_gae_special_cases():
    r, v, d = make(3, 12, 0.3)
    adv, _ = ref.gae(r, v, d, gamma=0.9, lam=0.0)                      # λ = 0: the TD errors
    alive = 1 - d.to(f64)
    assert torch.allclose(adv, r + 0.9 * v[1:] * alive - v[:-1])
    adv, _ = ref.gae(r, v, d, gamma=0.0, lam=0.95)                     # γ = 0: r − V
    assert torch.allclose(adv, r - v[:-1])
    adv, _ = ref.gae(r, v, d, gamma=1.0, lam=1.0)                      # Monte-Carlo return − V
    mc, g = [], v[-1].item()
    for t in reversed(range(12)):
        g = r[t].item() + (0.0 if d[t] else g)
        mc.append(g)
    assert adv.tolist() == pytest.approx([m - x for m, x in zip(reversed(mc), v[:-1].tolist())], abs=1e-12)


def test_gae_dones_everywhere_and_detached():
    r, v, _ = make(1, 5, 0)
    vv = v.clone().requires_grad_(True)
    adv, ret = ref.gae(r, vv, torch.ones(5, dtype=torch.bool), gamma=0.9, lam=0.9)
    assert torch.allclose(adv, r - v[:-1]) and torch.allclose(ret, r)
    assert not adv.requires_grad and not ret.requires_grad


def loop_loss(logp, old, adv, eps, mask):
    """Per-entry surrogate and its derivative w.r.t. logp, written out by cases."""
    lp, ol, a = logp.flatten().tolist(), old.flatten().tolist(), adv.flatten().tolist()
    m = [1.0] * len(lp) if mask is None else [float(x) for x in mask.flatten().tolist()]
    n = sum(m)
    total, grad = 0.0, []
    for x, y, A, keep in zip(lp, ol, a, m):
        ratio = math.exp(x - y)
        clipped = min(max(ratio, 1 - eps), 1 + eps)
        unclipped_is_min = ratio * A <= clipped * A
        total += keep * min(ratio * A, clipped * A)
        d = ratio * A if unclipped_is_min else 0.0          # d(ratio·A)/dlogp = ratio·A; clipped: 0
        grad.append(-keep * d / n)
    return -total / n, grad


@pytest.mark.parametrize("seed", range(10))
def test_ppo_loss_matches_loop(seed):
    g = torch.Generator().manual_seed(seed)
    shape = [(7,), (3, 4), (2, 5)][seed % 3]
    eps = [0.1, 0.2, 0.3][seed % 3]
    logp = -torch.rand(shape, generator=g, dtype=f64) * 3
    old = logp + (torch.rand(shape, generator=g, dtype=f64) * 2 - 1) * 1.5
    adv = torch.randn(shape, generator=g, dtype=f64)
    mask = None if seed % 2 else torch.rand(shape, generator=g) < 0.6
    if mask is not None:
        mask.view(-1)[0] = True
        mask = mask.to(f64) if seed % 4 == 0 else mask
    x = logp.clone().requires_grad_(True)
    loss = ref.ppo_clip_loss(x, old, adv, clip_eps=eps, mask=mask)
    want, grad = loop_loss(logp, old, adv, eps, mask)
    assert loss.dim() == 0 and loss.item() == pytest.approx(want, rel=1e-12)
    loss.backward()
    assert x.grad.flatten().tolist() == pytest.approx(grad, rel=1e-10, abs=1e-15)


def test_masked_entries_change_nothing():
    logp = torch.tensor([-1.0, -0.5, -2.0], dtype=f64, requires_grad=True)
    old, adv = torch.tensor([-1.1, -0.4, 30.0], dtype=f64), torch.tensor([1.0, -1.0, 5.0], dtype=f64)
    mask = torch.tensor([True, True, False])
    loss = ref.ppo_clip_loss(logp, old, adv, mask=mask)
    short = ref.ppo_clip_loss(logp[:2], old[:2], adv[:2])
    assert loss.item() == pytest.approx(short.item(), rel=1e-15)
    loss.backward()
    assert logp.grad[2].item() == 0.0
