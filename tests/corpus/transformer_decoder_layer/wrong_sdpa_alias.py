# expect: `torch.nn.functional.scaled_dot_product_attention`(, which)? is forbidden
# why: hands the attention to torch's fused kernel, imported under another name
import math

import torch
import torch.nn.functional as F
from torch.nn.functional import scaled_dot_product_attention as fused_attention
from torch import nn


class CrossAttention(nn.Module):
    def __init__(self, d_model, num_heads):
        super().__init__()
        if d_model % num_heads:
            raise ValueError("num_heads must divide d_model")
        self.h, self.hd = num_heads, d_model // num_heads
        self.q_proj = nn.Linear(d_model, d_model)
        self.k_proj = nn.Linear(d_model, d_model)
        self.v_proj = nn.Linear(d_model, d_model)
        self.o_proj = nn.Linear(d_model, d_model)

    def heads(self, t):
        B, T, _ = t.shape
        return t.view(B, T, self.h, self.hd).transpose(1, 2)

    def forward(self, x, context, attention_mask=None):
        B, T, D = x.shape
        q = self.heads(self.q_proj(x))
        k = self.heads(self.k_proj(context))
        v = self.heads(self.v_proj(context))
        mask = None if attention_mask is None else attention_mask.bool()
        out = fused_attention(q, k, v, attn_mask=mask)
        return self.o_proj(out.transpose(1, 2).reshape(B, T, D))


class MultiHeadAttention(CrossAttention):
    def forward(self, x, attention_mask=None):
        return super().forward(x, x, attention_mask)


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
        self.dropout = nn.Dropout(dropout)

    def ffn(self, x):
        return self.linear2(self.dropout(F.relu(self.linear1(x))))

    def forward(self, x, memory, tgt_mask=None, memory_mask=None):
        if self.norm_first:
            x = x + self.dropout(self.self_attn(self.norm1(x), tgt_mask))
            x = x + self.dropout(self.cross_attn(self.norm2(x), memory, memory_mask))
            x = x + self.dropout(self.ffn(self.norm3(x)))
        else:
            x = self.norm1(x + self.dropout(self.self_attn(x, tgt_mask)))
            x = self.norm2(x + self.dropout(self.cross_attn(x, memory, memory_mask)))
            x = self.norm3(x + self.dropout(self.ffn(x)))
        return x
