import torch

REDUCTIONS = ("none", "mean", "sum")


def label_smoothing_cross_entropy(logits: torch.Tensor, target: torch.Tensor, smoothing: float = 0.1,
                                  ignore_index: int = -100, reduction: str = "mean") -> torch.Tensor:
    """F.cross_entropy(logits, target, label_smoothing=smoothing, ignore_index=..., reduction=...)."""
    if not 0.0 <= smoothing <= 1.0:
        raise ValueError(f"smoothing must be in [0, 1], got {smoothing}")
    if reduction not in REDUCTIONS:
        raise ValueError(f"reduction must be one of {REDUCTIONS}, got {reduction!r}")
    log_p = torch.log_softmax(logits, dim=1)  # exact for any scale: log(softmax) would give -inf
    keep = target != ignore_index
    # Ignored rows may hold any id (-100 included): gather from a valid one, then zero them.
    safe = torch.where(keep, target, torch.zeros_like(target))
    nll = -log_p.gather(1, safe[:, None]).squeeze(1)
    uniform = -log_p.mean(dim=1)  # the smoothing mass spreads over all C classes, the target included
    loss = (1.0 - smoothing) * nll + smoothing * uniform
    loss = torch.where(keep, loss, torch.zeros_like(loss))  # no value and no gradient from ignored rows
    if reduction == "none":
        return loss
    if reduction == "sum":
        return loss.sum()
    return loss.sum() / keep.sum()  # 0 / 0 = NaN when every target is ignored, as torch
