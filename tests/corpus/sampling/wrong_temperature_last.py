# expect: temperature must be applied first
# why: top-k and top-p are computed on the raw logits; the temperature is divided in at the end
import torch


def _check(temperature, top_k, top_p):
    if temperature <= 0 or top_k < 0 or not 0 < top_p <= 1:
        raise ValueError("bad sampling arguments")


def filter_logits(logits, temperature=1.0, top_k=0, top_p=1.0):
    _check(temperature, top_k, top_p)
    s = logits.clone()
    if 0 < top_k < s.shape[-1]:
        s[s < s.topk(top_k, -1).values[..., -1:]] = float("-inf")
    if top_p < 1:
        p, idx = s.softmax(-1).sort(-1, descending=True)
        drop = (p.cumsum(-1) - p) >= top_p
        s = s.masked_fill(torch.zeros_like(drop).scatter(-1, idx, drop), float("-inf"))
    return s / temperature


def sample(logits, temperature=1.0, top_k=0, top_p=1.0, generator=None):
    probs = filter_logits(logits, temperature, top_k, top_p).softmax(-1)
    return torch.multinomial(probs, 1, generator=generator).squeeze(-1)
