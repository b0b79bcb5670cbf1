"""Reference: multi-head self-attention."""
import math

import torch
from torch import nn


class MultiHeadAttention(nn.Module):
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
        # (B, T, d_model) -> (B, T, H, d) -> (B, H, T, d)
        B, T, _ = t.shape
        return t.reshape(B, T, self.num_heads, self.head_dim).transpose(1, 2)

    def forward(self, x: torch.Tensor, attention_mask: torch.Tensor | None = None) -> torch.Tensor:
        B, T, _ = x.shape
        q = self._split_heads(self.q_proj(x))  # (B, H, T, d)
        k = self._split_heads(self.k_proj(x))  # (B, H, T, d)
        v = self._split_heads(self.v_proj(x))  # (B, H, T, d)

        # Divide by sqrt(d): q.k is a sum of d terms, so its std grows like sqrt(d);
        # unscaled logits would saturate the softmax.
        scores = q @ k.transpose(-2, -1) * (1.0 / math.sqrt(self.head_dim))  # (B, H, T, T)
        if attention_mask is not None:
            # True/1 = may attend. The mask broadcasts to (B, H, T, T).
            scores = scores.masked_fill(~attention_mask.bool(), float("-inf"))
        probs = scores.softmax(dim=-1)  # normalise over the keys

        out = probs @ v  # (B, H, T, d)
        out = out.transpose(1, 2).reshape(B, T, self.d_model)  # (B, T, H*d)
        return self.o_proj(out)
