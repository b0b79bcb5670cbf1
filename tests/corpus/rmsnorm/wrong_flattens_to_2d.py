# expect: ✗ accepts any number of leading dimensions
# why: assumes x is (B, T, H): a single vector or a 4-D input (promised: (..., H)) fails
import torch
from torch import nn


class RMSNorm(nn.Module):
    def __init__(self, hidden_dim, eps=1e-6):
        super().__init__()
        self.eps = eps
        self.weight = nn.Parameter(torch.ones(hidden_dim))

    def forward(self, x):
        B, T, H = x.shape
        h = x.reshape(B * T, H)
        h = h * torch.rsqrt(h.pow(2).mean(-1, keepdim=True) + self.eps)
        return self.weight * h.reshape(B, T, H)
