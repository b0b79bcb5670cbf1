# why: einsum against the shared (B, T, d) key/value directly, no head axis on k and v at all
import math

import torch
from torch import nn


class MultiQueryAttention(nn.Module):
    def __init__(self, d_model: int, num_heads: int):
        super().__init__()
        if d_model % num_heads != 0:
            raise ValueError("num_heads must divide d_model")
        self.num_heads = num_heads
        self.head_dim = d_model // num_heads
        self.q_proj = nn.Linear(d_model, d_model)
        self.k_proj = nn.Linear(d_model, self.head_dim)
        self.v_proj = nn.Linear(d_model, self.head_dim)
        self.o_proj = nn.Linear(d_model, d_model)

    def forward(self, x, attention_mask=None):
        B, T, D = x.shape
        q = self.q_proj(x).view(B, T, self.num_heads, self.head_dim)  # (B, T, H, d)
        k, v = self.k_proj(x), self.v_proj(x)                        # (B, T, d)
        scores = torch.einsum("bqhd,bkd->bhqk", q, k) / math.sqrt(self.head_dim)
        if attention_mask is not None:
            scores = scores.masked_fill(attention_mask.logical_not(), float("-inf"))
        out = torch.einsum("bhqk,bkd->bqhd", scores.softmax(dim=-1), v)  # (B, T, H, d)
        return self.o_proj(out.reshape(B, T, D))
