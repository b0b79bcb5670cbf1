# expect: longer sequence after a shorter
# why: seed trap: the cos/sin table is built on the first call for that call's length and reused, so a longer sequence (or a later offset) falls off its end
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
        self.cache = None

    def _build(self, seq_len, device):
        theta = self.base ** (-torch.arange(0, self.head_dim, 2, dtype=torch.float64, device=device) / self.head_dim)
        ang = torch.outer(torch.arange(seq_len, dtype=torch.float64, device=device), theta)
        return torch.cos(ang), torch.sin(ang)                    # (T, d/2) each

    def forward(self, x, position_ids=None):
        T = x.shape[2]
        if self.cache is None:
            self.cache = self._build(T, x.device)
        cos, sin = self.cache
        if position_ids is None:
            position_ids = torch.arange(T, device=x.device)[None]
        cos = cos[position_ids].unsqueeze(1).to(x.dtype)         # (B, 1, T, d/2)
        sin = sin[position_ids].unsqueeze(1).to(x.dtype)
        if self.interleaved:
            a, b = x[..., 0::2], x[..., 1::2]
            return torch.stack((a * cos - b * sin, a * sin + b * cos), -1).flatten(-2)
        a, b = x.chunk(2, dim=-1)
        return torch.cat((a * cos - b * sin, a * sin + b * cos), -1)
