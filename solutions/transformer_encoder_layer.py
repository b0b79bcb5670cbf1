"""Reference: a Transformer encoder layer (self-attention + ReLU feed-forward), post- or pre-norm."""
import math

import torch
import torch.nn.functional as F
from torch import nn


class MultiHeadAttention(nn.Module):
    """Multi-head self-attention with separate q/k/v/o projections (all with bias)."""

    def __init__(self, d_model: int, num_heads: int):
        super().__init__()
        if num_heads <= 0 or d_model % num_heads != 0:
            raise ValueError(f"d_model={d_model} is not divisible by num_heads={num_heads}")
        self.d_model = d_model
        self.num_heads = num_heads
        self.head_dim = d_model // num_heads
        self.q_proj = nn.Linear(d_model, d_model)
        self.k_proj = nn.Linear(d_model, d_model)
        self.v_proj = nn.Linear(d_model, d_model)
        self.o_proj = nn.Linear(d_model, d_model)

    def _split(self, t: torch.Tensor) -> torch.Tensor:
        # (B, T, d_model) -> (B, H, T, head_dim)
        B, T, _ = t.shape
        return t.view(B, T, self.num_heads, self.head_dim).transpose(1, 2)

    def forward(self, x: torch.Tensor, attention_mask: torch.Tensor | None = None) -> torch.Tensor:
        B, T, _ = x.shape
        q = self._split(self.q_proj(x))
        k = self._split(self.k_proj(x))
        v = self._split(self.v_proj(x))
        scores = q @ k.transpose(-2, -1) / math.sqrt(self.head_dim)  # (B, H, T, T)
        if attention_mask is not None:
            # True / 1 = "may attend"; works for bool and 0/1 integer masks alike.
            allowed = attention_mask.to(device=scores.device, dtype=torch.bool)
            scores = scores.masked_fill(~allowed, float("-inf"))
        weights = scores.softmax(dim=-1)
        out = (weights @ v).transpose(1, 2).reshape(B, T, self.d_model)
        return self.o_proj(out)


class TransformerEncoderLayer(nn.Module):
    def __init__(self, d_model: int, num_heads: int, d_ff: int, dropout: float = 0.1,
                 norm_first: bool = False):
        super().__init__()
        self.norm_first = norm_first
        self.self_attn = MultiHeadAttention(d_model, num_heads)
        self.linear1 = nn.Linear(d_model, d_ff)
        self.linear2 = nn.Linear(d_ff, d_model)
        self.norm1 = nn.LayerNorm(d_model)
        self.norm2 = nn.LayerNorm(d_model)
        # Dropout has no parameters, so these names are free (torch uses the same ones).
        self.dropout = nn.Dropout(dropout)    # inside the FFN, after the ReLU
        self.dropout1 = nn.Dropout(dropout)   # on the attention sublayer's output
        self.dropout2 = nn.Dropout(dropout)   # on the FFN sublayer's output

    def _sa_block(self, x, attention_mask):
        return self.dropout1(self.self_attn(x, attention_mask))

    def _ff_block(self, x):
        return self.dropout2(self.linear2(self.dropout(F.relu(self.linear1(x)))))

    def forward(self, x: torch.Tensor, attention_mask: torch.Tensor | None = None) -> torch.Tensor:
        if self.norm_first:
            # pre-norm: the residual stream itself is never normalised
            x = x + self._sa_block(self.norm1(x), attention_mask)
            x = x + self._ff_block(self.norm2(x))
        else:
            # post-norm (original Transformer): normalise after each residual sum
            x = self.norm1(x + self._sa_block(x, attention_mask))
            x = self.norm2(x + self._ff_block(x))
        return x
