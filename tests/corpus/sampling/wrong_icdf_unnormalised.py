# expect: do not follow the expected distribution|probability 0
# why: inverse-CDF sampling on the unfiltered softmax with removed tokens zeroed, never renormalised
import torch


def _check(temperature, top_k, top_p):
    if temperature <= 0 or top_k < 0 or not 0 < top_p <= 1:
        raise ValueError("bad sampling arguments")


def filter_logits(logits, temperature=1.0, top_k=0, top_p=1.0):
    _check(temperature, top_k, top_p)
    s = logits / temperature
    if 0 < top_k < s.shape[-1]:
        s = s.masked_fill(s < s.topk(top_k, -1).values[..., -1:], float("-inf"))
    if top_p < 1:
        p, idx = s.softmax(-1).sort(-1, descending=True)
        drop = (p.cumsum(-1) - p) >= top_p
        s = s.masked_fill(torch.zeros_like(drop).scatter(-1, idx, drop), float("-inf"))
    return s


def sample(logits, temperature=1.0, top_k=0, top_p=1.0, generator=None):
    kept = torch.isfinite(filter_logits(logits, temperature, top_k, top_p))
    probs = (logits / temperature).softmax(-1) * kept
    cdf = probs.cumsum(-1)
    u = torch.rand(logits.shape[0], 1, generator=generator, dtype=logits.dtype)
    return torch.searchsorted(cdf, u).clamp(max=logits.shape[-1] - 1).squeeze(-1)
