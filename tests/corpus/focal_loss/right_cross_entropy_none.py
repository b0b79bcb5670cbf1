# why: -log p_t from F.cross_entropy(reduction="none"); the reduction is checked on the first call
import torch
import torch.nn as nn
import torch.nn.functional as F


class FocalLoss(nn.Module):
    def __init__(self, alpha=None, gamma=2.0, reduction="mean"):
        super().__init__()
        self.alpha = None if alpha is None else (float(alpha) if isinstance(alpha, (int, float))
                                                 else list(alpha))
        self.gamma = gamma
        self.reduction = reduction

    def forward(self, logits, targets):
        if self.reduction not in {"none", "mean", "sum"}:
            raise ValueError(f"unknown reduction {self.reduction!r}")
        ce = F.cross_entropy(logits, targets, reduction="none")     # -log p_t, (N,)
        pt = torch.exp(-ce)
        loss = (1.0 - pt) ** self.gamma * ce
        if isinstance(self.alpha, float):
            loss = loss * self.alpha
        elif self.alpha is not None:
            loss = loss * logits.new_tensor(self.alpha)[targets]
        return {"none": loss, "mean": loss.mean() if loss.numel() else loss.sum(),
                "sum": loss.sum()}[self.reduction]
