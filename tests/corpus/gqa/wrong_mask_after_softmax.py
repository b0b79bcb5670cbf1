# expect: before the softmax, not to the weights after it
# why: zeroes the hidden weights after the softmax, so each query's kept weights no longer sum to 1
import math

import torch
from torch import nn


class GroupedQueryAttention(nn.Module):
    def __init__(self, d_model, num_heads, num_kv_heads):
        super().__init__()
        if d_model % num_heads or num_heads % num_kv_heads:
            raise ValueError("incompatible head counts")
        self.h, self.kv, self.d = num_heads, num_kv_heads, d_model // num_heads
        self.q_proj = nn.Linear(d_model, d_model)
        self.k_proj = nn.Linear(d_model, num_kv_heads * self.d)
        self.v_proj = nn.Linear(d_model, num_kv_heads * self.d)
        self.o_proj = nn.Linear(d_model, d_model)

    def forward(self, x, attention_mask=None):
        B, T, D = x.shape
        g = self.h // self.kv
        q = self.q_proj(x).view(B, T, self.h, self.d).transpose(1, 2)
        k = self.k_proj(x).view(B, T, self.kv, self.d).transpose(1, 2).repeat_interleave(g, dim=1)
        v = self.v_proj(x).view(B, T, self.kv, self.d).transpose(1, 2).repeat_interleave(g, dim=1)
        probs = torch.softmax(q @ k.transpose(-1, -2) / math.sqrt(self.d), dim=-1)
        if attention_mask is not None:
            probs = probs * attention_mask
        return self.o_proj((probs @ v).transpose(1, 2).reshape(B, T, D))
