"""Reference: temperature, top-k and top-p (nucleus) filtering, and sampling from the result."""
import torch


def _validate(temperature, top_k, top_p):
    if not temperature > 0:  # also refuses NaN
        raise ValueError(f"temperature must be > 0, got {temperature!r}")
    if isinstance(top_k, bool) or not isinstance(top_k, int) or top_k < 0:
        raise ValueError(f"top_k must be an int >= 0, got {top_k!r}")
    if not 0 < top_p <= 1:
        raise ValueError(f"top_p must be in (0, 1], got {top_p!r}")


def filter_logits(logits, temperature=1.0, top_k=0, top_p=1.0):
    _validate(temperature, top_k, top_p)
    scores = logits / temperature  # a new tensor: logits is left as it was
    vocab = scores.shape[-1]
    if 0 < top_k < vocab:
        # keep everything >= the k-th largest value: ties with it survive (HF TopKLogitsWarper)
        kth = scores.topk(top_k, dim=-1).values[..., -1:]
        scores = scores.masked_fill(scores < kth, float("-inf"))
    if top_p < 1.0:
        # probabilities of the survivors (renormalised after top-k), most probable first
        probs, order = scores.softmax(dim=-1).sort(dim=-1, descending=True)
        mass_before = probs.cumsum(dim=-1) - probs  # the mass ranked before each token
        drop_sorted = mass_before >= top_p  # the token that crosses top_p is kept; the top token always
        drop = torch.zeros_like(drop_sorted).scatter(-1, order, drop_sorted)
        scores = scores.masked_fill(drop, float("-inf"))
    return scores


def sample(logits, temperature=1.0, top_k=0, top_p=1.0, generator=None):
    probs = filter_logits(logits, temperature, top_k, top_p).softmax(dim=-1)
    return torch.multinomial(probs, num_samples=1, generator=generator).squeeze(-1)
