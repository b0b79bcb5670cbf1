# why: never copies the kv heads: reshapes the queries to (B, KV, G, T, d) and lets broadcasting share each kv head
import math

import torch
from torch import nn


class GroupedQueryAttention(nn.Module):
    def __init__(self, d_model, num_heads, num_kv_heads):
        super().__init__()
        if num_heads <= 0 or num_kv_heads <= 0:
            raise ValueError("head counts must be positive")
        if d_model % num_heads != 0 or num_heads % num_kv_heads != 0:
            raise ValueError("need num_heads | d_model and num_kv_heads | num_heads")
        self.H, self.KV, self.d = num_heads, num_kv_heads, d_model // num_heads
        self.q_proj = nn.Linear(d_model, d_model)
        self.k_proj = nn.Linear(d_model, num_kv_heads * self.d)
        self.v_proj = nn.Linear(d_model, num_kv_heads * self.d)
        self.o_proj = nn.Linear(d_model, d_model)

    def forward(self, x, attention_mask=None):
        B, T, D = x.shape
        H, KV, d = self.H, self.KV, self.d
        G = H // KV
        # head h = j * G + g  ->  (kv head j, member g)
        q = self.q_proj(x).view(B, T, KV, G, d).permute(0, 2, 3, 1, 4)  # (B, KV, G, T, d)
        k = self.k_proj(x).view(B, T, KV, 1, d).permute(0, 2, 3, 1, 4)  # (B, KV, 1, T, d)
        v = self.v_proj(x).view(B, T, KV, 1, d).permute(0, 2, 3, 1, 4)  # (B, KV, 1, T, d)
        scores = (q @ k.transpose(-1, -2)) / math.sqrt(d)                # (B, KV, G, T, T)
        scores = scores.reshape(B, H, T, T)
        if attention_mask is not None:
            scores = scores.masked_fill(~attention_mask.bool(), float("-inf"))
        probs = scores.softmax(-1).view(B, KV, G, T, T)
        out = (probs @ v).reshape(B, H, T, d)                              # (B, H, T, d)
        return self.o_proj(out.transpose(1, 2).reshape(B, T, D))
