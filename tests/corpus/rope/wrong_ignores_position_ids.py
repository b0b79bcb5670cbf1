# expect: position 1000|offset 1000
# why: position_ids is accepted but ignored (always arange(T)), so decoding at position 1000 and per-row positions come out wrong
import torch
import torch.nn as nn


class RotaryEmbedding(nn.Module):
    def __init__(self, head_dim, base=10000.0, interleaved=True):
        super().__init__()
        if head_dim % 2:
            raise ValueError("head_dim must be even")
        self.head_dim = head_dim
        self.base = base
        self.interleaved = interleaved

    def forward(self, x, position_ids=None):
        T = x.shape[2]
        pos = torch.arange(T, dtype=torch.float64, device=x.device)
        theta = self.base ** (-torch.arange(0, self.head_dim, 2, dtype=torch.float64, device=x.device) / self.head_dim)
        ang = torch.outer(pos, theta)                           # (T, d/2)
        cos, sin = ang.cos().to(x.dtype), ang.sin().to(x.dtype)
        if self.interleaved:
            a, b = x[..., 0::2], x[..., 1::2]
            return torch.stack((a * cos - b * sin, a * sin + b * cos), -1).flatten(-2)
        a, b = x.chunk(2, dim=-1)
        return torch.cat((a * cos - b * sin, a * sin + b * cos), -1)
