# expect: \(B, T, H, head_dim\) layout
# why: keeps the cache in (B, T, H, head_dim) layout, before the head transpose
import math

import torch
from torch import nn


class CachedSelfAttention(nn.Module):
    def __init__(self, d_model, num_heads):
        super().__init__()
        if d_model % num_heads:
            raise ValueError("num_heads must divide d_model")
        self.h, self.hd = num_heads, d_model // num_heads
        self.q_proj = nn.Linear(d_model, d_model)
        self.k_proj = nn.Linear(d_model, d_model)
        self.v_proj = nn.Linear(d_model, d_model)
        self.o_proj = nn.Linear(d_model, d_model)

    def forward(self, x, cache=None):
        B, T, D = x.shape
        q = self.q_proj(x).view(B, T, self.h, self.hd).transpose(1, 2)
        k = self.k_proj(x).view(B, T, self.h, self.hd)
        v = self.v_proj(x).view(B, T, self.h, self.hd)
        if cache is not None:
            k, v = torch.cat([cache[0], k], 1), torch.cat([cache[1], v], 1)
        S = k.shape[1] - T
        kh, vh = k.transpose(1, 2), v.transpose(1, 2)
        scores = q @ kh.transpose(-2, -1) / math.sqrt(self.hd)
        mask = torch.ones(T, S + T, dtype=torch.bool, device=x.device).tril(S)
        scores = scores.masked_fill(~mask, float("-inf"))
        out = (scores.softmax(-1) @ vh).transpose(1, 2).reshape(B, T, D)
        return self.o_proj(out), (k, v)
