# why: -log p = logsumexp - logit, written with torch.logsumexp; kept rows selected by boolean indexing
import torch


def label_smoothing_cross_entropy(logits, target, smoothing=0.1, ignore_index=-100, reduction="mean"):
    if not (0.0 <= smoothing <= 1.0):
        raise ValueError(smoothing)
    if reduction not in ("none", "mean", "sum"):
        raise ValueError(reduction)
    keep = target != ignore_index
    x = logits[keep]
    t = target[keep]
    lse = torch.logsumexp(x, dim=1)
    nll = lse - x[torch.arange(x.shape[0]), t]
    smooth = lse - x.mean(dim=1)
    kept_loss = (1 - smoothing) * nll + smoothing * smooth
    if reduction == "sum":
        return kept_loss.sum()
    if reduction == "mean":
        return kept_loss.sum() / x.shape[0] if x.shape[0] else logits.sum() * float("nan")
    full = torch.zeros(logits.shape[0], dtype=logits.dtype, device=logits.device)
    return full.masked_scatter(keep, kept_loss)
