# expect: should turn by
# why: theta_i = base^(-i/d) (arange over the pair index, divided by d) instead of base^(-2i/d): every frequency but the first is wrong
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
        if position_ids is None:
            position_ids = torch.arange(T, device=x.device)[None]
        i = torch.arange(self.head_dim // 2, dtype=torch.float64, device=x.device)
        theta = self.base ** (-i / self.head_dim)
        ang = position_ids.double()[..., None] * theta
        cos = ang.cos().unsqueeze(1).to(x.dtype)
        sin = ang.sin().unsqueeze(1).to(x.dtype)
        if self.interleaved:
            a, b = x[..., 0::2], x[..., 1::2]
            return torch.stack((a * cos - b * sin, a * sin + b * cos), -1).flatten(-2)
        a, b = x.chunk(2, dim=-1)
        return torch.cat((a * cos - b * sin, a * sin + b * cos), -1)
