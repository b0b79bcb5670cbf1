# why: einsum with named lengths q and k; heads stay on the third axis throughout
import math

import torch
from torch import nn


class CrossAttention(nn.Module):
    def __init__(self, d_model: int, num_heads: int):
        super().__init__()
        if d_model % num_heads != 0:
            raise ValueError("num_heads must divide d_model")
        self.num_heads = num_heads
        self.q_proj = nn.Linear(d_model, d_model)
        self.k_proj = nn.Linear(d_model, d_model)
        self.v_proj = nn.Linear(d_model, d_model)
        self.o_proj = nn.Linear(d_model, d_model)

    def forward(self, x, context, attention_mask=None):
        B, Tq, D = x.shape
        H = self.num_heads
        d = D // H
        q = self.q_proj(x).unflatten(-1, (H, d))        # (B, Tq, H, d)
        k = self.k_proj(context).unflatten(-1, (H, d))  # (B, Tk, H, d)
        v = self.v_proj(context).unflatten(-1, (H, d))  # (B, Tk, H, d)
        scores = torch.einsum("bqhd,bkhd->bhqk", q, k) / math.sqrt(d)
        if attention_mask is not None:
            scores = scores.masked_fill(attention_mask == 0, -math.inf)
        out = torch.einsum("bhqk,bkhd->bqhd", torch.softmax(scores, -1), v)
        return self.o_proj(out.flatten(2))
