# expect: renormalised over the top-k survivors
# why: top-p uses the softmax of the whole row, computed before top-k removed anything
import torch


def _check(temperature, top_k, top_p):
    if temperature <= 0 or top_k < 0 or not 0 < top_p <= 1:
        raise ValueError("bad sampling arguments")


def filter_logits(logits, temperature=1.0, top_k=0, top_p=1.0):
    _check(temperature, top_k, top_p)
    s = logits / temperature
    probs = s.softmax(-1)
    keep = torch.ones_like(s, dtype=torch.bool)
    if 0 < top_k < s.shape[-1]:
        keep &= s >= s.topk(top_k, -1).values[..., -1:]
    if top_p < 1:
        p, idx = probs.sort(-1, descending=True)
        ok = (p.cumsum(-1) - p) < top_p
        keep &= torch.zeros_like(ok).scatter(-1, idx, ok)
    return s.masked_fill(~keep, float("-inf"))


def sample(logits, temperature=1.0, top_k=0, top_p=1.0, generator=None):
    probs = filter_logits(logits, temperature, top_k, top_p).softmax(-1)
    return torch.multinomial(probs, 1, generator=generator).squeeze(-1)
