# why: fused QKV for self-attention and fused KV for cross-attention, both concatenated from the contract's weights at forward time; mask via torch.where
import math

import torch
import torch.nn.functional as F
from torch import nn


class CrossAttention(nn.Module):
    def __init__(self, d_model, num_heads):
        super().__init__()
        if num_heads <= 0 or d_model % num_heads:
            raise ValueError(f"d_model={d_model}, num_heads={num_heads}")
        self.d_model, self.num_heads, self.head_dim = d_model, num_heads, d_model // num_heads
        self.q_proj = nn.Linear(d_model, d_model)
        self.k_proj = nn.Linear(d_model, d_model)
        self.v_proj = nn.Linear(d_model, d_model)
        self.o_proj = nn.Linear(d_model, d_model)

    def _heads(self, t):  # (B, L, n * d_model) -> n tensors of (B, H, L, hd)
        B, L, _ = t.shape
        return t.view(B, L, -1, self.num_heads, self.head_dim).permute(2, 0, 3, 1, 4).unbind(0)

    def _attend(self, q, k, v, mask):
        s = q @ k.transpose(-1, -2) / math.sqrt(self.head_dim)
        if mask is not None:
            s = torch.where(mask != 0, s, torch.full_like(s, float("-inf")))
        o = torch.softmax(s, -1) @ v                       # (B, H, Tq, hd)
        B, H, Tq, hd = o.shape
        return self.o_proj(o.transpose(1, 2).reshape(B, Tq, H * hd))

    def forward(self, x, context, attention_mask=None):
        (q,) = self._heads(self.q_proj(x))
        kv_w = torch.cat([self.k_proj.weight, self.v_proj.weight])
        kv_b = torch.cat([self.k_proj.bias, self.v_proj.bias])
        k, v = self._heads(F.linear(context, kv_w, kv_b))
        return self._attend(q, k, v, attention_mask)


class MultiHeadAttention(CrossAttention):
    def forward(self, x, attention_mask=None):
        w = torch.cat([self.q_proj.weight, self.k_proj.weight, self.v_proj.weight])
        b = torch.cat([self.q_proj.bias, self.k_proj.bias, self.v_proj.bias])
        q, k, v = self._heads(F.linear(x, w, b))
        return self._attend(q, k, v, attention_mask)


class TransformerDecoderLayer(nn.Module):
    def __init__(self, d_model, num_heads, d_ff, dropout=0.1, norm_first=False):
        super().__init__()
        self.pre = norm_first
        self.self_attn = MultiHeadAttention(d_model, num_heads)
        self.cross_attn = CrossAttention(d_model, num_heads)
        self.linear1 = nn.Linear(d_model, d_ff)
        self.linear2 = nn.Linear(d_ff, d_model)
        self.norm1 = nn.LayerNorm(d_model)
        self.norm2 = nn.LayerNorm(d_model)
        self.norm3 = nn.LayerNorm(d_model)
        self.drop = nn.Dropout(dropout)

    def forward(self, x, memory, tgt_mask=None, memory_mask=None):
        d = self.drop
        if self.pre:
            x = x + d(self.self_attn(self.norm1(x), tgt_mask))
            x = x + d(self.cross_attn(self.norm2(x), memory, memory_mask))
            return x + d(self.linear2(d(F.relu(self.linear1(self.norm3(x))))))
        x = self.norm1(x + d(self.self_attn(x, tgt_mask)))
        x = self.norm2(x + d(self.cross_attn(x, memory, memory_mask)))
        return self.norm3(x + d(self.linear2(d(F.relu(self.linear1(x))))))
