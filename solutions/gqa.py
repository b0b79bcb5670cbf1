"""Reference: grouped-query attention (Llama-style kv-head sharing)."""
import math

import torch
from torch import nn


class GroupedQueryAttention(nn.Module):
    def __init__(self, d_model: int, num_heads: int, num_kv_heads: int):
        super().__init__()
        if num_heads <= 0 or num_kv_heads <= 0 or d_model <= 0:
            raise ValueError("d_model, num_heads and num_kv_heads must be positive")
        if d_model % num_heads != 0:
            raise ValueError(f"d_model ({d_model}) must be divisible by num_heads ({num_heads})")
        if num_heads % num_kv_heads != 0:
            raise ValueError(
                f"num_heads ({num_heads}) must be divisible by num_kv_heads ({num_kv_heads})"
            )
        self.d_model = d_model
        self.num_heads = num_heads
        self.num_kv_heads = num_kv_heads
        self.group_size = num_heads // num_kv_heads  # query heads per kv head
        self.head_dim = d_model // num_heads
        self.q_proj = nn.Linear(d_model, d_model)
        self.k_proj = nn.Linear(d_model, num_kv_heads * self.head_dim)
        self.v_proj = nn.Linear(d_model, num_kv_heads * self.head_dim)
        self.o_proj = nn.Linear(d_model, d_model)

    def forward(self, x: torch.Tensor, attention_mask: torch.Tensor | None = None) -> torch.Tensor:
        B, T, _ = x.shape
        H, KV, d = self.num_heads, self.num_kv_heads, self.head_dim
        q = self.q_proj(x).reshape(B, T, H, d).transpose(1, 2)   # (B, H, T, d)
        k = self.k_proj(x).reshape(B, T, KV, d).transpose(1, 2)  # (B, KV, T, d)
        v = self.v_proj(x).reshape(B, T, KV, d).transpose(1, 2)  # (B, KV, T, d)

        # Query head h reads kv head h // group_size: kv heads are repeated
        # element-wise (k0 k0 k1 k1 ...), not tiled (k0 k1 k0 k1 ...).
        k = k.repeat_interleave(self.group_size, dim=1)  # (B, H, T, d)
        v = v.repeat_interleave(self.group_size, dim=1)  # (B, H, T, d)

        scores = q @ k.transpose(-2, -1) * (1.0 / math.sqrt(d))  # (B, H, T, T)
        if attention_mask is not None:
            scores = scores.masked_fill(~attention_mask.bool(), float("-inf"))
        probs = scores.softmax(dim=-1)

        out = probs @ v  # (B, H, T, d)
        out = out.transpose(1, 2).reshape(B, T, self.d_model)
        return self.o_proj(out)
