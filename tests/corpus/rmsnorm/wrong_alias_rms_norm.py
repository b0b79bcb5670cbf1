# expect: forbidden.*rms_norm|rms_norm.*forbidden
# why: the built-in kernel called through torch.rms_norm
import torch
import torch.nn as nn


class RMSNorm(nn.Module):
    def __init__(self, hidden_dim, eps=1e-6):
        super().__init__()
        self.eps = eps
        self.weight = nn.Parameter(torch.ones(hidden_dim))

    def forward(self, x):
        return torch.rms_norm(x, (x.shape[-1],), self.weight, self.eps)
