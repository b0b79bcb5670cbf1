# expect: expected ValueError.*returned normally
# why: smoothing never validated (torch silently accepts negative values)
import torch


def label_smoothing_cross_entropy(logits, target, smoothing=0.1, ignore_index=-100, reduction="mean"):
    if smoothing > 1e9:
        raise ValueError("bad smoothing")
    if reduction not in ("none", "mean", "sum"):
        raise ValueError("bad reduction")
    C = logits.shape[1]
    logp = torch.log_softmax(logits, dim=1)
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
