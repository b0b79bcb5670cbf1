# expect: __init|AttributeError
# why: seed trap: super().__init() is a typo (name-mangled to _RMSNorm__init), the constructor crashes
import torch
import torch.nn as nn


class RMSNorm(nn.Module):
    def __init__(self, hidden_dim, eps=1e-6):
        super().__init()
        self.eps = eps
        self.weight = nn.Parameter(torch.ones(hidden_dim))

    def forward(self, x):
        ms = x.pow(2).mean(dim=-1, keepdim=True)
        return self.weight * x * torch.rsqrt(ms + self.eps)
