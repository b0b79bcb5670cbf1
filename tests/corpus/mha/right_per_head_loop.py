# why: explicit loop over heads, slicing each head's features; concatenates at the end
import math

import torch
from torch import nn


class MultiHeadAttention(nn.Module):
    def __init__(self, d_model, num_heads):
        super().__init__()
        if num_heads <= 0 or d_model % num_heads:
            raise ValueError("bad head count")
        self.num_heads = num_heads
        self.head_dim = d_model // num_heads
        self.q_proj = nn.Linear(d_model, d_model)
        self.k_proj = nn.Linear(d_model, d_model)
        self.v_proj = nn.Linear(d_model, d_model)
        self.o_proj = nn.Linear(d_model, d_model)

    def forward(self, x, attention_mask=None):
        q, k, v = self.q_proj(x), self.k_proj(x), self.v_proj(x)
        mask = None
        if attention_mask is not None:
            m = attention_mask.bool()
            while m.dim() < 4:
                m = m.unsqueeze(0)
            mask = m  # (B or 1, H or 1, T, T)
        heads = []
        for h in range(self.num_heads):
            sl = slice(h * self.head_dim, (h + 1) * self.head_dim)
            s = q[..., sl] @ k[..., sl].transpose(1, 2) / math.sqrt(self.head_dim)  # (B, T, T)
            if mask is not None:
                mh = mask[:, h if mask.shape[1] > 1 else 0]
                s = s.masked_fill(~mh, float("-inf"))
            heads.append(torch.softmax(s, dim=-1) @ v[..., sl])  # (B, T, d)
        return self.o_proj(torch.cat(heads, dim=-1))
