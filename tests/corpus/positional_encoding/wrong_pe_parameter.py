# expect: nn\.Parameter|register_buffer
# why: the table is wrapped in nn.Parameter, so the optimizer would train it; it must be a buffer
import torch
import torch.nn as nn


class PositionalEncoding(nn.Module):
    def __init__(self, d_model, max_len=5000):
        super().__init__()
        if d_model % 2:
            raise ValueError("d_model must be even")
        pos = torch.arange(max_len, dtype=torch.float64)[:, None]
        freq = 10000.0 ** (-torch.arange(0, d_model, 2, dtype=torch.float64) / d_model)
        pe = torch.zeros(max_len, d_model, dtype=torch.float64)
        pe[:, 0::2] = torch.sin(pos * freq)
        pe[:, 1::2] = torch.cos(pos * freq)
        self.pe = nn.Parameter(pe.float().unsqueeze(0))

    def forward(self, x):
        T = x.size(1)
        if T > self.pe.size(1):
            raise ValueError("sequence too long")
        return x + self.pe[:, :T].to(x.dtype)
