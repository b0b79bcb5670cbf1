# expect: 10000\^\(2/4\)
# why: exponent i/d instead of 2i/d (arange over the pair index, divided by d): the frequencies only span 10000^(-1/2)
import torch
import torch.nn as nn


class PositionalEncoding(nn.Module):
    def __init__(self, d_model, max_len=5000):
        super().__init__()
        if d_model % 2:
            raise ValueError("d_model must be even")
        pos = torch.arange(max_len, dtype=torch.float32).unsqueeze(1)
        i = torch.arange(d_model // 2, dtype=torch.float32)
        angles = pos / torch.pow(10000.0, i / d_model)
        pe = torch.zeros(max_len, d_model)
        pe[:, 0::2] = torch.sin(angles)
        pe[:, 1::2] = torch.cos(angles)
        self.register_buffer("pe", pe.unsqueeze(0))

    def forward(self, x):
        T = x.size(1)
        if T > self.pe.size(1):
            raise ValueError("sequence too long")
        return x + self.pe[:, :T].to(x.dtype)
