# why: mean of squares by einsum, always in float32 or better, weight applied after the cast back
import torch
import torch.nn as nn


class RMSNorm(nn.Module):
    def __init__(self, hidden_dim, eps=1e-6):
        super().__init__()
        self.hidden_dim = hidden_dim
        self.eps = eps
        self.weight = nn.Parameter(torch.ones(hidden_dim))

    def forward(self, x):
        work = torch.promote_types(x.dtype, torch.float32)
        h = x.to(work)
        ms = torch.einsum("...d,...d->...", h, h).unsqueeze(-1) / self.hidden_dim
        return (h * torch.rsqrt(ms + self.eps)).to(x.dtype) * self.weight
