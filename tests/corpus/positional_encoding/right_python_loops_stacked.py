# why: table written with math.sin/math.cos in Python loops, output interleaved with stack/flatten, slice taken with narrow
import math

import torch
from torch import nn


class PositionalEncoding(nn.Module):
    def __init__(self, d_model, max_len=5000):
        super().__init__()
        if d_model % 2 == 1:
            raise ValueError("odd d_model")
        rows = []
        for pos in range(max_len):
            row = []
            for i in range(d_model // 2):
                a = pos / 10000 ** (2 * i / d_model)
                row.append((math.sin(a), math.cos(a)))
            rows.append(row)
        table = torch.tensor(rows, dtype=torch.float64)        # (max_len, d/2, 2)
        self.register_buffer("pe", table.flatten(1).unsqueeze(0).to(torch.float32))

    def forward(self, x):
        B, T, D = x.shape
        if T > self.pe.shape[1]:
            raise ValueError(f"T={T} > max_len={self.pe.shape[1]}")
        return x + self.pe.narrow(1, 0, T).type_as(x)
