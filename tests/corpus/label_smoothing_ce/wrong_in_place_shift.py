# expect: modified its input \(argument 1
# why: subtracts the row maximum from the logits in place (fine for autograd-free use, but the caller's tensor changes)
import torch


def label_smoothing_cross_entropy(logits, target, smoothing=0.1, ignore_index=-100, reduction="mean"):
    if not 0 <= smoothing <= 1 or reduction not in ("none", "mean", "sum"):
        raise ValueError("bad argument")
    if not logits.requires_grad:
        logits.sub_(logits.max(dim=1, keepdim=True).values)
    logp = logits - logits.logsumexp(dim=1, keepdim=True)
    keep = target != ignore_index
    nll = -logp.gather(1, torch.where(keep, target, 0)[:, None])[:, 0]
    loss = torch.where(keep, (1 - smoothing) * nll - smoothing * logp.mean(1), 0.0)
    if reduction == "none":
        return loss
    return loss.sum() if reduction == "sum" else loss.sum() / keep.sum()
