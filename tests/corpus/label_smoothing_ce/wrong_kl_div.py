# expect: kl_div.*forbidden
# why: builds the smoothed targets, then leans on F.kl_div (forbidden)
import torch
import torch.nn.functional as F


def label_smoothing_cross_entropy(logits, target, smoothing=0.1, ignore_index=-100, reduction="mean"):
    if not 0 <= smoothing <= 1 or reduction not in ("none", "mean", "sum"):
        raise ValueError("bad argument")
    c = logits.shape[1]
    keep = target != ignore_index
    q = torch.full_like(logits, smoothing / c)
    q[keep, target[keep]] += 1 - smoothing
    logp = torch.log_softmax(logits, 1)
    per_row = (F.kl_div(logp, q, reduction="none").sum(1) - (q * q.clamp_min(1e-300).log()).sum(1)) * keep
    if reduction == "none":
        return per_row
    return per_row.sum() if reduction == "sum" else per_row.sum() / keep.sum()
