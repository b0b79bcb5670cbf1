# why: builds the smoothed target distribution (1 - eps) one-hot + eps / C and takes its cross-entropy
import torch


def label_smoothing_cross_entropy(logits, target, smoothing=0.1, ignore_index=-100, reduction="mean"):
    if smoothing < 0 or smoothing > 1:
        raise ValueError("smoothing must be within [0, 1]")
    if reduction not in {"none", "sum", "mean"}:
        raise ValueError(f"unknown reduction {reduction}")
    n, c = logits.shape
    valid = target.ne(ignore_index)
    idx = target.clone()
    idx[~valid] = 0
    q = torch.full_like(logits, smoothing / c)
    q.scatter_add_(1, idx.unsqueeze(1), torch.full((n, 1), 1.0 - smoothing, dtype=logits.dtype))
    per_row = -(q * torch.log_softmax(logits, dim=-1)).sum(dim=-1) * valid.to(logits.dtype)
    if reduction == "none":
        return per_row
    if reduction == "sum":
        return per_row.sum()
    return per_row.sum() / valid.sum().to(logits.dtype)
