"""Reference: multi-head cross-attention (queries from x, keys/values from context)."""
import math

import torch
from torch import nn


class CrossAttention(nn.Module):
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
        self.k_proj = nn.Linear(d_model, d_model)
        self.v_proj = nn.Linear(d_model, d_model)
        self.o_proj = nn.Linear(d_model, d_model)

    def _split_heads(self, t: torch.Tensor) -> torch.Tensor:
        # (B, L, d_model) -> (B, H, L, d); L is Tq for queries and Tk for keys/values
        B, L, _ = t.shape
        return t.reshape(B, L, self.num_heads, self.head_dim).transpose(1, 2)

    def forward(
        self,
        x: torch.Tensor,
        context: torch.Tensor,
        attention_mask: torch.Tensor | None = None,
    ) -> torch.Tensor:
        B, Tq, _ = x.shape
        q = self._split_heads(self.q_proj(x))        # (B, H, Tq, d)
        k = self._split_heads(self.k_proj(context))  # (B, H, Tk, d)
        v = self._split_heads(self.v_proj(context))  # (B, H, Tk, d)

        scores = q @ k.transpose(-2, -1) * (1.0 / math.sqrt(self.head_dim))  # (B, H, Tq, Tk)
        if attention_mask is not None:
            scores = scores.masked_fill(~attention_mask.bool(), float("-inf"))
        probs = scores.softmax(dim=-1)  # each query's weights over the Tk context tokens

        out = probs @ v  # (B, H, Tq, d)
        out = out.transpose(1, 2).reshape(B, Tq, self.d_model)
        return self.o_proj(out)
