"""Reference: the Transformer position-wise feed-forward block."""
import torch
import torch.nn as nn
import torch.nn.functional as F


class MLP(nn.Module):
    def __init__(self, d_model: int, d_ff: int, dropout: float = 0.1):
        super().__init__()
        self.linear1 = nn.Linear(d_model, d_ff)     # expand
        self.linear2 = nn.Linear(d_ff, d_model)     # project back
        # nn.Dropout follows self.training: inverted dropout in train(), identity in eval().
        self.dropout = nn.Dropout(dropout)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        # x: (..., d_model)
        h = F.relu(self.linear1(x))                 # (..., d_ff)
        h = self.dropout(h)                         # (..., d_ff), kept units scaled by 1/(1-p)
        return self.linear2(h)                      # (..., d_model)
