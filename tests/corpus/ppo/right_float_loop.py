# why: backward loop in Python floats then one tensor; loss via clamp/minimum and a masked_select mean
import torch


def gae(rewards, values, dones, gamma=0.99, lam=0.95):
    r = [float(x) for x in rewards]
    v = [float(x) for x in values]
    d = [bool(x) for x in dones]
    out = [0.0] * len(r)
    nxt = 0.0
    for t in reversed(range(len(r))):
        cont = 0.0 if d[t] else 1.0
        delta = r[t] + gamma * v[t + 1] * cont - v[t]
        nxt = delta + gamma * lam * cont * nxt
        out[t] = nxt
    adv = torch.tensor(out, dtype=values.dtype, device=values.device)
    return adv, adv + values.detach()[: len(r)]


def ppo_clip_loss(logp, old_logp, advantages, clip_eps=0.2, mask=None):
    ratio = torch.exp(logp - old_logp)
    surr = torch.minimum(ratio * advantages, ratio.clamp(1 - clip_eps, 1 + clip_eps) * advantages)
    if mask is not None:
        surr = surr.masked_select(mask.bool())
    return -surr.mean()
