# expect: state_dict holds `inv_freq`
# why: inv_freq is registered as an ordinary (persistent) buffer, so it appears in the state_dict and a strict load of a checkpoint without it fails
import torch
import torch.nn as nn


class RotaryEmbedding(nn.Module):
    def __init__(self, head_dim, base=10000.0, interleaved=True):
        super().__init__()
        if head_dim % 2:
            raise ValueError("head_dim must be even")
        self.interleaved = interleaved
        self.register_buffer("inv_freq", 1.0 / base ** (torch.arange(0, head_dim, 2).float() / head_dim))

    def forward(self, x, position_ids=None):
        T = x.shape[2]
        if position_ids is None:
            position_ids = torch.arange(T, device=x.device)[None]
        ang = position_ids.float()[..., None] * self.inv_freq.float()
        cos = ang.cos().unsqueeze(1).to(x.dtype)
        sin = ang.sin().unsqueeze(1).to(x.dtype)
        if self.interleaved:
            a, b = x[..., 0::2], x[..., 1::2]
            return torch.stack((a * cos - b * sin, a * sin + b * cos), -1).flatten(-2)
        a, b = x.chunk(2, dim=-1)
        return torch.cat((a * cos - b * sin, a * sin + b * cos), -1)
