# expect: ✗ built fresh and never cast
# why: the projections are created in float64, so a fresh module turns float32 input into float64
import math

import torch
from torch import nn


class MultiHeadAttention(nn.Module):
    def __init__(self, d_model, num_heads):
        super().__init__()
        if d_model % num_heads:
            raise ValueError("num_heads must divide d_model")
        self.h, self.d = num_heads, d_model // num_heads
        self.q_proj = nn.Linear(d_model, d_model, dtype=torch.float64)
        self.k_proj = nn.Linear(d_model, d_model, dtype=torch.float64)
        self.v_proj = nn.Linear(d_model, d_model, dtype=torch.float64)
        self.o_proj = nn.Linear(d_model, d_model, dtype=torch.float64)

    def forward(self, x, attention_mask=None):
        B, T, _ = x.shape
        x = x.double()
        q, k, v = (p(x).view(B, T, self.h, self.d).transpose(1, 2) for p in (self.q_proj, self.k_proj, self.v_proj))
        scores = q @ k.transpose(-2, -1) / math.sqrt(self.d)
        if attention_mask is not None:
            mask = self.prepare(attention_mask)
            scores = scores.masked_fill(~mask, float("-inf"))
        out = scores.softmax(-1) @ v
        return self.o_proj(out.transpose(1, 2).reshape(B, T, self.h * self.d))

    def prepare(self, mask):
        return mask.bool()
