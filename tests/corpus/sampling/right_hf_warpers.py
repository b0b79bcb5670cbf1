# why: HF's warpers (ascending sort, remove where cumsum <= 1 - top_p) and inverse-CDF sampling on the renormalised row
import torch


def filter_logits(logits, temperature=1.0, top_k=0, top_p=1.0):
    if not temperature > 0:
        raise ValueError("temperature must be positive")
    if top_k < 0:
        raise ValueError("top_k must be >= 0")
    if not (0.0 < top_p <= 1.0):
        raise ValueError("top_p must be in (0, 1]")
    scores = logits / temperature
    if top_k:
        k = min(top_k, scores.size(-1))
        threshold = torch.topk(scores, k)[0][..., -1, None]
        scores = scores.masked_fill(scores < threshold, -float("inf"))
    if top_p < 1.0:
        sorted_logits, sorted_indices = torch.sort(scores, descending=False)
        cumulative = sorted_logits.softmax(dim=-1).cumsum(dim=-1)
        remove_sorted = cumulative <= (1 - top_p)
        remove_sorted[..., -1:] = False
        remove = remove_sorted.scatter(1, sorted_indices, remove_sorted)
        scores = scores.masked_fill(remove, -float("inf"))
    return scores


def sample(logits, temperature=1.0, top_k=0, top_p=1.0, generator=None):
    probs = torch.softmax(filter_logits(logits, temperature, top_k, top_p), dim=-1)
    cdf = probs.cumsum(-1)
    cdf = cdf / cdf[..., -1:]
    u = torch.rand(probs.shape[0], 1, generator=generator, dtype=probs.dtype, device=probs.device)
    idx = torch.searchsorted(cdf, u, right=True).clamp_(max=probs.shape[-1] - 1)
    return idx.squeeze(-1).long()
