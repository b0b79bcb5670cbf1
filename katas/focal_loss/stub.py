import torch
import torch.nn as nn
import torch.nn.functional as F


class FocalLoss(nn.Module):
    """Multi-class focal loss: -alpha_t * (1 - p_t)^gamma * log(p_t).

    alpha: None (weight 1), a float (the same weight for every class) or a sequence of
        C floats (alpha[target]).
    gamma: focusing parameter >= 0 (gamma = 0 and alpha None is the cross-entropy).
    reduction: "none" -> (N,), "mean" -> plain mean over N, "sum"; anything else ->
        ValueError (at construction, or at the latest on the first call).
    """

    def __init__(self, alpha=None, gamma=2.0, reduction="mean"):
        super().__init__()
        raise NotImplementedError

    def forward(self, logits, targets):
        """logits: (N, C) float; targets: (N,) int64 class indices in [0, C)."""
        raise NotImplementedError
