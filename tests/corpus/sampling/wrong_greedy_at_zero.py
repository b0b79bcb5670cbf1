# expect: expected ValueError
# why: temperature 0 is treated as greedy decoding instead of an error
import torch


def filter_logits(logits, temperature=1.0, top_k=0, top_p=1.0):
    if top_k < 0 or not 0 < top_p <= 1 or temperature < 0:
        raise ValueError("bad sampling arguments")
    if temperature == 0:
        top = logits.argmax(-1, keepdim=True)
        return logits.masked_fill(torch.ones_like(logits, dtype=torch.bool).scatter(-1, top, False), float("-inf"))
    s = logits / temperature
    if 0 < top_k < s.shape[-1]:
        s = s.masked_fill(s < s.topk(top_k, -1).values[..., -1:], float("-inf"))
    if top_p < 1:
        p, idx = s.softmax(-1).sort(-1, descending=True)
        drop = (p.cumsum(-1) - p) >= top_p
        s = s.masked_fill(torch.zeros_like(drop).scatter(-1, idx, drop), float("-inf"))
    return s


def sample(logits, temperature=1.0, top_k=0, top_p=1.0, generator=None):
    probs = filter_logits(logits, temperature, top_k, top_p).softmax(-1)
    return torch.multinomial(probs, 1, generator=generator).squeeze(-1)
