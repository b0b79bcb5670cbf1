# why: GAE as the direct truncated sums of (γλ)^k δ (quadratic but fine), loss with torch.where branches and a 0/1 weight
import torch


def gae(rewards, values, dones, gamma=0.99, lam=0.95):
    v = values.detach()
    r = rewards.detach().to(v.dtype)
    d = dones.to(v.dtype)
    T = r.numel()
    delta = r + gamma * v[1:] * (1 - d) - v[:-1]
    adv = torch.empty(T, dtype=v.dtype)
    for t in range(T):
        acc, w = 0.0, 1.0
        for k in range(t, T):
            acc = acc + w * delta[k]
            if d[k] > 0:
                break
            w *= gamma * lam
        adv[t] = acc
    return adv, adv + v[:-1]


def ppo_clip_loss(logp, old_logp, advantages, clip_eps=0.2, mask=None):
    ratio = (logp - old_logp).exp()
    hi, lo = 1 + clip_eps, 1 - clip_eps
    pos = advantages >= 0
    # A >= 0: min(ratio, hi) * A;  A < 0: max(ratio, lo) * A
    surr = torch.where(pos, torch.minimum(ratio, torch.full_like(ratio, hi)) * advantages,
                       torch.maximum(ratio, torch.full_like(ratio, lo)) * advantages)
    w = torch.ones_like(surr) if mask is None else mask.to(surr.dtype)
    return -(torch.where(w > 0, surr, torch.zeros_like(surr))).sum() / w.sum()
