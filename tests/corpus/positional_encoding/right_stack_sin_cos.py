# why: sin and cos computed as two (max_len, d/2) blocks and interleaved with torch.stack(..., dim=-1).reshape
import torch
import torch.nn as nn


class PositionalEncoding(nn.Module):
    def __init__(self, d_model: int, max_len: int = 5000):
        super().__init__()
        if d_model % 2:
            raise ValueError("d_model must be even")
        inv = 1.0 / (10000.0 ** (torch.arange(0, d_model, 2, dtype=torch.float64) / d_model))
        ang = torch.outer(torch.arange(max_len, dtype=torch.float64), inv)
        pe = torch.stack((ang.sin(), ang.cos()), dim=-1).reshape(max_len, d_model)
        self.register_buffer("pe", pe[None].float(), persistent=True)

    def forward(self, x):
        if x.shape[1] > self.pe.shape[1]:
            raise ValueError("too long")
        return x + self.pe[:, : x.shape[1], :].to(x)
