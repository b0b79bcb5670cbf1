# why: one attention function for both blocks, einsum over a (B, T, H, hd) layout, additive float mask built from the bool/int mask, per-block dropout modules
import math

import torch
import torch.nn.functional as F
from torch import nn


def attention(q_proj, k_proj, v_proj, o_proj, num_heads, x, ctx, mask):
    B, T, D = x.shape
    S = ctx.shape[1]
    hd = D // num_heads
    q = q_proj(x).reshape(B, T, num_heads, hd)
    k = k_proj(ctx).reshape(B, S, num_heads, hd)
    v = v_proj(ctx).reshape(B, S, num_heads, hd)
    scores = torch.einsum("bthd,bshd->bhts", q, k) / math.sqrt(hd)
    if mask is not None:
        additive = torch.where(mask.bool(), 0.0, float("-inf")).to(scores.dtype)
        scores = scores + additive
    probs = scores.softmax(dim=-1)
    return o_proj(torch.einsum("bhts,bshd->bthd", probs, v).reshape(B, T, D))


class _Projections(nn.Module):
    def __init__(self, d_model, num_heads):
        super().__init__()
        if d_model % num_heads != 0:
            raise ValueError("d_model % num_heads != 0")
        self.num_heads = num_heads
        self.q_proj, self.k_proj, self.v_proj, self.o_proj = (nn.Linear(d_model, d_model) for _ in range(4))


class MultiHeadAttention(_Projections):
    def forward(self, x, attention_mask=None):
        return attention(self.q_proj, self.k_proj, self.v_proj, self.o_proj, self.num_heads, x, x, attention_mask)


class CrossAttention(_Projections):
    def forward(self, x, context, attention_mask=None):
        return attention(self.q_proj, self.k_proj, self.v_proj, self.o_proj, self.num_heads, x, context,
                         attention_mask)


class TransformerDecoderLayer(nn.Module):
    def __init__(self, d_model, num_heads, d_ff, dropout=0.1, norm_first=False):
        super().__init__()
        self.norm_first = norm_first
        self.self_attn = MultiHeadAttention(d_model, num_heads)
        self.cross_attn = CrossAttention(d_model, num_heads)
        self.linear1 = nn.Linear(d_model, d_ff)
        self.linear2 = nn.Linear(d_ff, d_model)
        self.norm1 = nn.LayerNorm(d_model)
        self.norm2 = nn.LayerNorm(d_model)
        self.norm3 = nn.LayerNorm(d_model)
        self.drops = nn.ModuleList(nn.Dropout(dropout) for _ in range(4))

    def forward(self, x, memory, tgt_mask=None, memory_mask=None):
        blocks = [
            (self.norm1, lambda h: self.self_attn(h, tgt_mask)),
            (self.norm2, lambda h: self.cross_attn(h, memory, memory_mask)),
            (self.norm3, lambda h: self.linear2(self.drops[3](F.relu(self.linear1(h))))),
        ]
        for i, (norm, f) in enumerate(blocks):
            x = x + self.drops[i](f(norm(x))) if self.norm_first else norm(x + self.drops[i](f(x)))
        return x
