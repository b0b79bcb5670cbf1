# expect: should rotate together with feature
# why: the two layouts are swapped: interleaved=True rotates the halves (x[i], x[i+d/2]) and False rotates neighbouring pairs
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
        theta = self.base ** (-torch.arange(0, self.head_dim, 2, dtype=torch.float64, device=x.device) / self.head_dim)
        ang = position_ids.double()[..., None] * theta
        cos = ang.cos().unsqueeze(1).to(x.dtype)
        sin = ang.sin().unsqueeze(1).to(x.dtype)
        if not self.interleaved:
            a, b = x[..., 0::2], x[..., 1::2]
            return torch.stack((a * cos - b * sin, a * sin + b * cos), -1).flatten(-2)
        a, b = x.chunk(2, dim=-1)
        return torch.cat((a * cos - b * sin, a * sin + b * cos), -1)
