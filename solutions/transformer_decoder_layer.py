"""Reference: a Transformer decoder layer (masked self-attention, cross-attention, ReLU FFN)."""
import math

import torch
import torch.nn.functional as F
from torch import nn


def _attend(q, k, v, attention_mask):
    """q (B, H, Tq, hd), k/v (B, H, Tk, hd); mask broadcastable to (B, H, Tq, Tk), True = may attend."""
    scores = q @ k.transpose(-2, -1) / math.sqrt(q.shape[-1])
    if attention_mask is not None:
        allowed = attention_mask.to(device=scores.device, dtype=torch.bool)
        scores = scores.masked_fill(~allowed, float("-inf"))
    return scores.softmax(dim=-1) @ v


class CrossAttention(nn.Module):
    """Multi-head attention whose queries come from x and keys/values from context."""

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

    def _split(self, t):
        # (B, T, d_model) -> (B, H, T, head_dim)
        B, T, _ = t.shape
        return t.view(B, T, self.num_heads, self.head_dim).transpose(1, 2)

    def forward(self, x, context, attention_mask=None):
        B, Tq, _ = x.shape
        q = self._split(self.q_proj(x))
        k = self._split(self.k_proj(context))
        v = self._split(self.v_proj(context))
        out = _attend(q, k, v, attention_mask)                  # (B, H, Tq, hd)
        return self.o_proj(out.transpose(1, 2).reshape(B, Tq, self.d_model))


class MultiHeadAttention(CrossAttention):
    """Self-attention: the same module with context = x."""

    def forward(self, x, attention_mask=None):
        return super().forward(x, x, attention_mask)


class TransformerDecoderLayer(nn.Module):
    def __init__(self, d_model: int, num_heads: int, d_ff: int, dropout: float = 0.1,
                 norm_first: bool = False):
        super().__init__()
        self.norm_first = norm_first
        self.self_attn = MultiHeadAttention(d_model, num_heads)
        self.cross_attn = CrossAttention(d_model, num_heads)
        self.linear1 = nn.Linear(d_model, d_ff)
        self.linear2 = nn.Linear(d_ff, d_model)
        self.norm1 = nn.LayerNorm(d_model)
        self.norm2 = nn.LayerNorm(d_model)
        self.norm3 = nn.LayerNorm(d_model)
        self.dropout = nn.Dropout(dropout)    # inside the FFN, after the ReLU
        self.dropout1 = nn.Dropout(dropout)   # self-attention output
        self.dropout2 = nn.Dropout(dropout)   # cross-attention output
        self.dropout3 = nn.Dropout(dropout)   # FFN output

    def _sa_block(self, x, tgt_mask):
        return self.dropout1(self.self_attn(x, tgt_mask))

    def _ca_block(self, x, memory, memory_mask):
        # memory is the encoder's (already normalised) output: it is never normalised here
        return self.dropout2(self.cross_attn(x, memory, memory_mask))

    def _ff_block(self, x):
        return self.dropout3(self.linear2(self.dropout(F.relu(self.linear1(x)))))

    def forward(self, x, memory, tgt_mask=None, memory_mask=None):
        if self.norm_first:
            x = x + self._sa_block(self.norm1(x), tgt_mask)
            x = x + self._ca_block(self.norm2(x), memory, memory_mask)
            x = x + self._ff_block(self.norm3(x))
        else:
            x = self.norm1(x + self._sa_block(x, tgt_mask))
            x = self.norm2(x + self._ca_block(x, memory, memory_mask))
            x = self.norm3(x + self._ff_block(x))
        return x
