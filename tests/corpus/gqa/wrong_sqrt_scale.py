# expect: multiplied by √d instead of divided by it
# why: seed trap — stores scaler = 1/sqrt(d) and then divides by it, i.e. multiplies the scores by sqrt(d)
import math

import torch
from torch import nn


class GroupedQueryAttention(nn.Module):
    def __init__(self, d_model, num_heads, num_kv_heads):
        super().__init__()
        if d_model % num_heads or num_heads % num_kv_heads:
            raise ValueError("incompatible head counts")
        self.num_heads = num_heads
        self.num_kv_heads = num_kv_heads
        self.head_dim = d_model // num_heads
        self.q_proj = nn.Linear(d_model, d_model)
        self.k_proj = nn.Linear(d_model, num_kv_heads * self.head_dim)
        self.v_proj = nn.Linear(d_model, num_kv_heads * self.head_dim)
        self.o_proj = nn.Linear(d_model, d_model)
        self.scaler = 1 / math.sqrt(self.head_dim)

    def _expand(self, t, B, T):
        t = t.view(B, T, self.num_kv_heads, 1, self.head_dim)
        t = t.expand(B, T, self.num_kv_heads, self.num_heads // self.num_kv_heads, self.head_dim)
        return t.reshape(B, T, self.num_heads, self.head_dim).transpose(1, 2)

    def forward(self, x, attention_mask=None):
        B, T, D = x.shape
        q = self.q_proj(x).view(B, T, self.num_heads, self.head_dim).transpose(1, 2)
        k = self._expand(self.k_proj(x), B, T)
        v = self._expand(self.v_proj(x), B, T)
        scores = q @ k.transpose(-1, -2) / self.scaler
        if attention_mask is not None:
            scores = scores.masked_fill(attention_mask == 0, float("-inf"))
        out = torch.softmax(scores, dim=-1) @ v
        return self.o_proj(out.transpose(1, 2).reshape(B, T, D))
