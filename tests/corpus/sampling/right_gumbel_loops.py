# why: top-k by counting larger values, top-p with a loop over rank positions (vectorised over rows), Gumbel-max sampling
import torch


def filter_logits(logits, temperature=1.0, top_k=0, top_p=1.0):
    if temperature <= 0 or top_k < 0 or top_p <= 0 or top_p > 1:
        raise ValueError(f"invalid settings: temperature={temperature}, top_k={top_k}, top_p={top_p}")
    out = logits / temperature
    neg = torch.tensor(float("-inf"), dtype=out.dtype, device=out.device)
    if 0 < top_k < out.shape[-1]:
        # a token survives iff fewer than k values are strictly larger than it
        larger = (out.unsqueeze(-2) > out.unsqueeze(-1)).sum(-1)
        out = torch.where(larger < top_k, out, neg)
    if top_p < 1.0:
        probs = torch.softmax(out, -1)
        order = torch.argsort(probs, dim=-1, descending=True)
        ranked = torch.gather(probs, -1, order)
        keep_ranked = torch.zeros_like(ranked, dtype=torch.bool)
        total = torch.zeros_like(ranked[:, 0])
        for r in range(ranked.shape[-1]):
            keep_ranked[:, r] = total < top_p
            total = total + ranked[:, r]
        keep = torch.empty_like(keep_ranked)
        keep.scatter_(-1, order, keep_ranked)
        out = torch.where(keep, out, neg)
    return out


def sample(logits, temperature=1.0, top_k=0, top_p=1.0, generator=None):
    scores = filter_logits(logits, temperature, top_k, top_p)
    u = torch.rand(scores.shape, generator=generator, dtype=torch.float64, device=scores.device)
    gumbel = -torch.log(-torch.log(u.clamp_min(1e-300)))
    return torch.argmax(scores.double() + gumbel, dim=-1)
