"""Reference: multi-class focal loss."""
import torch
import torch.nn as nn
import torch.nn.functional as F

_REDUCTIONS = ("none", "mean", "sum")


class FocalLoss(nn.Module):
    """loss_i = -alpha_t (1 - p_t)^gamma log p_t, with p_t the probability of the target."""

    def __init__(self, alpha=None, gamma=2.0, reduction="mean"):
        super().__init__()
        if reduction not in _REDUCTIONS:
            raise ValueError(f"reduction must be one of {_REDUCTIONS}, got {reduction!r}")
        # a plain attribute, not a buffer: the module has no state to load
        if alpha is None or isinstance(alpha, (int, float)):
            self.alpha = alpha
        else:
            self.alpha = torch.as_tensor(alpha, dtype=torch.float64)   # (C,)
        self.gamma = gamma
        self.reduction = reduction

    def forward(self, logits, targets):
        # logits (N, C), targets (N,) int
        log_probs = F.log_softmax(logits, dim=-1)                        # (N, C)
        log_pt = log_probs.gather(1, targets.unsqueeze(1)).squeeze(1)    # (N,) exact, no clamp
        pt = log_pt.exp()
        loss = -((1 - pt) ** self.gamma) * log_pt                        # (N,)
        if self.alpha is not None:
            if isinstance(self.alpha, torch.Tensor):
                alpha_t = self.alpha.to(logits.device, logits.dtype)[targets]   # (N,)
            else:
                alpha_t = self.alpha
            loss = alpha_t * loss
        if self.reduction == "mean":
            return loss.mean()            # plain mean over N, not over the alpha weights
        if self.reduction == "sum":
            return loss.sum()
        return loss
