# why: a sin/cos cache kept as plain attributes and rebuilt (longer, on the right device/dtype) whenever a call needs a position beyond it
import torch
import torch.nn as nn


class RotaryEmbedding(nn.Module):
    def __init__(self, head_dim, base=10000.0, interleaved=True):
        super().__init__()
        if head_dim % 2:
            raise ValueError("odd head_dim")
        self.head_dim, self.base, self.interleaved = head_dim, base, interleaved
        self._cos = self._sin = None          # plain attributes: never in the state_dict

    def _cache(self, needed, device, dtype):
        if (self._cos is None or self._cos.shape[0] < needed
                or self._cos.device != device or self._cos.dtype != dtype):
            n = max(needed, 2 * (0 if self._cos is None else self._cos.shape[0]), 16)
            theta = self.base ** (-torch.arange(0, self.head_dim, 2, dtype=torch.float64) / self.head_dim)
            ang = torch.outer(torch.arange(n, dtype=torch.float64), theta)
            self._cos = ang.cos().to(device=device, dtype=dtype)
            self._sin = ang.sin().to(device=device, dtype=dtype)
        return self._cos, self._sin

    def forward(self, x, position_ids=None):
        B, H, T, D = x.shape
        if position_ids is None:
            position_ids = torch.arange(T, device=x.device).unsqueeze(0)
        cos, sin = self._cache(int(position_ids.max()) + 1, x.device, x.dtype)
        cos = cos[position_ids][:, None]          # (B, 1, T, D/2)
        sin = sin[position_ids][:, None]
        if self.interleaved:
            even, odd = x[..., 0::2], x[..., 1::2]
            out = torch.empty_like(x)
            out[..., 0::2] = even * cos - odd * sin
            out[..., 1::2] = even * sin + odd * cos
            return out
        h = D // 2
        lo, hi = x[..., :h], x[..., h:]
        return torch.cat([lo * cos - hi * sin, lo * sin + hi * cos], dim=-1)
