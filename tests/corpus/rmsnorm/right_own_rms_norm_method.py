# why: the candidate's own method named rms_norm is not torch's kernel (once rejected as forbidden)
import torch
from torch import nn


class RMSNorm(nn.Module):
    def __init__(self, hidden_dim, eps=1e-6):
        super().__init__()
        self.eps = eps
        self.weight = nn.Parameter(torch.ones(hidden_dim))

    def rms_norm(self, x):
        h = x.float() if x.element_size() < 4 else x  # statistics of half inputs in float32
        return (h * torch.rsqrt(h.pow(2).mean(-1, keepdim=True) + self.eps)).to(x.dtype)

    def forward(self, x):
        return self.weight * self.rms_norm(x)
