# expect: 1e3|1000|large
# why: seed trap: softmax then clamp(p_t, 1e-7) caps each sample's loss at 16.1 and kills its gradient
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
        probs = F.softmax(logits, dim=-1)
        p_t = probs.gather(1, targets.unsqueeze(1)).squeeze(1).clamp(min=1e-7)
        loss = -(1 - p_t) ** self.gamma * torch.log(p_t)
        if self.alpha is not None:
            if isinstance(self.alpha, float):
                loss = self.alpha * loss
            else:
                loss = torch.tensor(self.alpha, dtype=logits.dtype)[targets] * loss
        if self.reduction == "mean":
            return loss.mean()
        if self.reduction == "sum":
            return loss.sum()
        return loss
