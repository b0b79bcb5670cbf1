# why: picks log p_t with a one-hot mask and forms 1 - p_t as -expm1(log p_t)
import torch
import torch.nn as nn
import torch.nn.functional as F


class FocalLoss(nn.Module):
    def __init__(self, alpha=None, gamma=2.0, reduction="mean"):
        super().__init__()
        if reduction not in ("none", "mean", "sum"):
            raise ValueError("reduction must be none, mean or sum")
        self.alpha = alpha
        self.gamma = float(gamma)
        self.reduction = reduction

    def forward(self, logits, targets):
        onehot = F.one_hot(targets, logits.shape[-1]).to(logits.dtype)
        log_pt = (torch.log_softmax(logits, dim=-1) * onehot).sum(-1)
        one_minus = -torch.expm1(log_pt)
        loss = -torch.pow(one_minus, self.gamma) * log_pt
        if self.alpha is not None:
            if isinstance(self.alpha, (int, float)):
                w = torch.full_like(loss, float(self.alpha))
            else:
                w = (onehot * torch.as_tensor(self.alpha, dtype=logits.dtype, device=logits.device)).sum(-1)
            loss = w * loss
        if self.reduction == "sum":
            return loss.sum()
        if self.reduction == "mean":
            return loss.mean()
        return loss
