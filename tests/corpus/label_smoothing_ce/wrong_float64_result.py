# expect: wrong dtype: expected torch.float32, got torch.float64
# why: casts the logits to float64 and never back
import torch


def label_smoothing_cross_entropy(logits, target, smoothing=0.1, ignore_index=-100, reduction="mean"):
    if not 0 <= smoothing <= 1:
        raise ValueError("bad smoothing")
    if reduction not in ("none", "mean", "sum"):
        raise ValueError("bad reduction")
    C = logits.shape[1]
    logp = torch.log_softmax(logits.double(), dim=1)
    mask = target != ignore_index
    tgt = torch.where(mask, target, 0)
    nll = -logp.gather(1, tgt[:, None])[:, 0]
    smooth = -logp.sum(dim=1) / C
    loss = ((1 - smoothing) * nll + smoothing * smooth) * mask
    if reduction == "none":
        return loss
    if reduction == "sum":
        return loss.sum()
    return loss.sum() / mask.sum()
