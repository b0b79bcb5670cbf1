# expect: does not keep the input's device: torch\.arange
# why: default positions come from torch.arange(T) on the CPU: on a GPU they meet x's tensors and raise
import torch
from torch import nn


class RotaryEmbedding(nn.Module):
    def __init__(self, head_dim, base=10000.0, interleaved=True):
        super().__init__()
        if head_dim % 2:
            raise ValueError("head_dim must be even")
        self.d, self.base, self.interleaved = head_dim, base, interleaved

    def rotate(self, x, cos, sin):
        if self.interleaved:
            x1, x2 = x[..., 0::2], x[..., 1::2]
            return torch.stack((x1 * cos - x2 * sin, x1 * sin + x2 * cos), dim=-1).flatten(-2)
        x1, x2 = x[..., : self.d // 2], x[..., self.d // 2:]
        return torch.cat((x1 * cos - x2 * sin, x1 * sin + x2 * cos), dim=-1)


    def forward(self, x, position_ids=None):
        T = x.shape[2]
        if position_ids is None:
            position_ids = torch.arange(T)[None, :]
        inv = self.base ** (-torch.arange(0, self.d, 2, dtype=x.dtype, device=x.device) / self.d)
        angles = position_ids[..., None].to(x.dtype) * inv
        return self.rotate(x, angles.cos()[:, None], angles.sin()[:, None])
