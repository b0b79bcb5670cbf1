# why: einsum formulation with explicit index names, scale folded into q
import math

import torch
from torch import nn


class MultiHeadAttention(nn.Module):
    def __init__(self, d_model: int, num_heads: int):
        super().__init__()
        if d_model % num_heads != 0:
            raise ValueError(f"{d_model=} is not a multiple of {num_heads=}")
        self.num_heads = num_heads
        self.q_proj = nn.Linear(d_model, d_model)
        self.k_proj = nn.Linear(d_model, d_model)
        self.v_proj = nn.Linear(d_model, d_model)
        self.o_proj = nn.Linear(d_model, d_model)

    def forward(self, x, attention_mask=None):
        B, T, D = x.shape
        H = self.num_heads
        q = self.q_proj(x).view(B, T, H, D // H) / math.sqrt(D // H)  # (B, T, H, d)
        k = self.k_proj(x).view(B, T, H, D // H)
        v = self.v_proj(x).view(B, T, H, D // H)
        scores = torch.einsum("bqhd,bkhd->bhqk", q, k)  # (B, H, Tq, Tk)
        if attention_mask is not None:
            scores = torch.where(attention_mask != 0, scores, float("-inf"))
        probs = scores.softmax(-1)
        out = torch.einsum("bhqk,bkhd->bqhd", probs, v)  # (B, T, H, d)
        return self.o_proj(out.reshape(B, T, D))
