# why: per-head loop with an additive 0/-inf bias built from the mask
import math

import torch
from torch import nn


class CrossAttention(nn.Module):
    def __init__(self, d_model, num_heads):
        super().__init__()
        if num_heads < 1 or d_model % num_heads:
            raise ValueError(f"{d_model} is not divisible by {num_heads}")
        self.num_heads = num_heads
        self.head_dim = d_model // num_heads
        self.q_proj = nn.Linear(d_model, d_model)
        self.k_proj = nn.Linear(d_model, d_model)
        self.v_proj = nn.Linear(d_model, d_model)
        self.o_proj = nn.Linear(d_model, d_model)

    def forward(self, x, context, attention_mask=None):
        B, Tq, _ = x.shape
        Tk = context.shape[1]
        q, k, v = self.q_proj(x), self.k_proj(context), self.v_proj(context)
        bias = None
        if attention_mask is not None:
            allowed = attention_mask.bool().expand(B, self.num_heads, Tq, Tk)
            bias = torch.zeros(allowed.shape, dtype=x.dtype, device=x.device)
            bias[~allowed] = float("-inf")
        heads = []
        for h in range(self.num_heads):
            cols = slice(h * self.head_dim, (h + 1) * self.head_dim)
            s = q[..., cols] @ k[..., cols].mT / math.sqrt(self.head_dim)  # (B, Tq, Tk)
            if bias is not None:
                s = s + bias[:, h]
            heads.append(s.softmax(-1) @ v[..., cols])                     # (B, Tq, d)
        return self.o_proj(torch.cat(heads, -1))
