# expect: ValueError|reduction
# why: an unknown reduction silently falls through to "none" instead of raising
import torch
import torch.nn as nn
import torch.nn.functional as F


class FocalLoss(nn.Module):
    def __init__(self, alpha=None, gamma=2.0, reduction="mean"):
        super().__init__()
        self.alpha = alpha
        self.gamma = gamma
        self.reduction = reduction

    def forward(self, logits, targets):
        log_pt = F.log_softmax(logits, -1).gather(1, targets[:, None]).squeeze(1)
        loss = -(1 - log_pt.exp()) ** self.gamma * log_pt
        if self.alpha is not None:
            a = self.alpha
            loss = loss * (a if isinstance(a, float) else torch.tensor(a, dtype=logits.dtype)[targets])
        if self.reduction == "mean":
            return loss.mean()
        elif self.reduction == "sum":
            return loss.sum()
        else:
            return loss
