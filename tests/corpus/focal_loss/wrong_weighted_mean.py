# expect: mean
# why: "mean" divides by the sum of the alpha weights (like F.cross_entropy(weight=...)), not by N
import torch
import torch.nn as nn
import torch.nn.functional as F


class FocalLoss(nn.Module):
    def __init__(self, alpha=None, gamma=2.0, reduction="mean"):
        super().__init__()
        if reduction not in ("none", "mean", "sum"):
            raise ValueError(reduction)
        self.alpha = alpha
        self.gamma = gamma
        self.reduction = reduction

    def forward(self, logits, targets):
        log_pt = F.log_softmax(logits, -1).gather(1, targets[:, None]).squeeze(1)
        if self.alpha is None:
            alpha_t = torch.ones_like(log_pt)
        elif isinstance(self.alpha, (int, float)):
            alpha_t = torch.full_like(log_pt, float(self.alpha))
        else:
            alpha_t = torch.tensor(self.alpha, dtype=logits.dtype)[targets]
        loss = -alpha_t * (1 - log_pt.exp()) ** self.gamma * log_pt
        if self.reduction == "mean":
            return loss.sum() / alpha_t.sum()
        if self.reduction == "sum":
            return loss.sum()
        return loss
