# expect: alpha
# why: seed trap: alpha=None becomes a one-element tensor, and gathering it with targets > 0 fails
import torch
import torch.nn as nn
import torch.nn.functional as F


class FocalLoss(nn.Module):
    def __init__(self, alpha=None, gamma=2.0, reduction="mean"):
        super().__init__()
        if reduction not in ("none", "mean", "sum"):
            raise ValueError(reduction)
        self.alpha = torch.ones(1) if alpha is None else torch.tensor(alpha, dtype=torch.float64)
        self.gamma = gamma
        self.reduction = reduction

    def forward(self, logits, targets):
        log_pt = F.log_softmax(logits, -1).gather(1, targets[:, None]).squeeze(1)
        alpha = self.alpha.to(logits.dtype)
        if alpha.dim() == 0:
            alpha = alpha.expand(logits.shape[1])
        alpha_t = alpha.gather(0, targets)
        loss = -alpha_t * (1 - log_pt.exp()) ** self.gamma * log_pt
        if self.reduction == "mean":
            return loss.mean()
        if self.reduction == "sum":
            return loss.sum()
        return loss
