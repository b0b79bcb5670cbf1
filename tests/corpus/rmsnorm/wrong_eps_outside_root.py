# expect: eps|tiny
# why: seed trap: eps added to the root mean square, not to the mean of squares; wrong for inputs ~1e-4
import torch
import torch.nn as nn


class RMSNorm(nn.Module):
    def __init__(self, hidden_dim, eps=1e-6):
        super().__init__()
        self.eps = eps
        self.weight = nn.Parameter(torch.ones(hidden_dim))

    def forward(self, x):
        rms = x.pow(2).mean(dim=-1, keepdim=True).sqrt()
        return self.weight * x / (rms + self.eps)
