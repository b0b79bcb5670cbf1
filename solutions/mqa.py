"""Reference: multi-query attention (one shared key/value head)."""
import math

import torch
from torch import nn


class MultiQueryAttention(nn.Module):
    def __init__(self, d_model: int, num_heads: int):
        super().__init__()
        if num_heads <= 0 or d_model <= 0 or d_model % num_heads != 0:
            raise ValueError(
                f"d_model ({d_model}) must be a positive multiple of num_heads ({num_heads})"
            )
        self.d_model = d_model
        self.num_heads = num_heads
        self.head_dim = d_model // num_heads
        self.q_proj = nn.Linear(d_model, d_model)
        self.k_proj = nn.Linear(d_model, self.head_dim)  # one key head shared by all
        self.v_proj = nn.Linear(d_model, self.head_dim)  # one value head shared by all
        self.o_proj = nn.Linear(d_model, d_model)

    def forward(self, x: torch.Tensor, attention_mask: torch.Tensor | None = None) -> torch.Tensor:
        B, T, _ = x.shape
        q = self.q_proj(x).reshape(B, T, self.num_heads, self.head_dim).transpose(1, 2)  # (B, H, T, d)
        k = self.k_proj(x).unsqueeze(1)  # (B, 1, T, d): broadcasts over the H query heads
        v = self.v_proj(x).unsqueeze(1)  # (B, 1, T, d)

        scores = q @ k.transpose(-2, -1) * (1.0 / math.sqrt(self.head_dim))  # (B, H, T, T)
        if attention_mask is not None:
            scores = scores.masked_fill(~attention_mask.bool(), float("-inf"))
        probs = scores.softmax(dim=-1)

        out = probs @ v  # (B, H, T, d), v broadcast without a copy
        out = out.transpose(1, 2).reshape(B, T, self.d_model)
        return self.o_proj(out)
