# expect: does not keep the input's device: torch\.tensor
# why: builds the alpha weights with torch.tensor(...) inside forward, on the CPU whatever the logits' device
import torch
import torch.nn.functional as F
from torch import nn


class FocalLoss(nn.Module):
    def __init__(self, alpha=None, gamma=2.0, reduction="mean"):
        super().__init__()
        if reduction not in ("none", "sum", "mean"):
            raise ValueError("reduction must be none, sum or mean")
        self.alpha, self.gamma, self.reduction = alpha, gamma, reduction

    def forward(self, logits, targets):
        logp_t = F.log_softmax(logits, dim=-1).gather(1, targets[:, None])[:, 0]
        loss = -((1 - logp_t.exp()) ** self.gamma) * logp_t
        if self.alpha is not None:
            alpha = torch.tensor(self.alpha, dtype=logits.dtype)
            loss = loss * (alpha[targets] if alpha.dim() else alpha)
        if self.reduction == "none":
            return loss
        return loss.sum() if self.reduction == "sum" else loss.mean()
