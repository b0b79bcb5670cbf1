# why: the Hugging Face style: cos/sin repeated to the full head_dim and x * cos + rotate_half(x) * sin (rotate_every_two for the interleaved layout)
import torch
import torch.nn as nn


def rotate_half(x):
    x1, x2 = x.chunk(2, dim=-1)
    return torch.cat((-x2, x1), dim=-1)


def rotate_every_two(x):
    x1, x2 = x[..., ::2], x[..., 1::2]
    return torch.stack((-x2, x1), dim=-1).flatten(-2)


class RotaryEmbedding(nn.Module):
    def __init__(self, head_dim, base=10000.0, interleaved=True):
        super().__init__()
        if head_dim % 2:
            raise ValueError(f"head_dim must be even, got {head_dim}")
        self.interleaved = interleaved
        inv_freq = 1.0 / (base ** (torch.arange(0, head_dim, 2, dtype=torch.int64).float() / head_dim))
        self.register_buffer("inv_freq", inv_freq, persistent=False)

    def forward(self, x, position_ids=None):
        if position_ids is None:
            position_ids = torch.arange(x.shape[2], device=x.device).unsqueeze(0)
        inv = self.inv_freq.float().to(x.device)
        freqs = position_ids.float()[..., None] * inv                  # (B, T, d/2)
        if self.interleaved:
            emb = freqs.repeat_interleave(2, dim=-1)                   # th0 th0 th1 th1 ...
            rot = rotate_every_two
        else:
            emb = torch.cat((freqs, freqs), dim=-1)                    # th0 th1 ... th0 th1 ...
            rot = rotate_half
        cos = emb.cos().unsqueeze(1).to(x.dtype)
        sin = emb.sin().unsqueeze(1).to(x.dtype)
        return x * cos + rot(x) * sin
