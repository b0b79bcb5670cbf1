# expect: ✗ self_attn[\s\S]*✗ attention_mask
# why: masked scores are set to 0 instead of -inf, so masked keys still get attention weight
import math

import torch
import torch.nn.functional as F
from torch import nn


class MultiHeadAttention(nn.Module):
    def __init__(self, d_model, num_heads):
        super().__init__()
        if d_model % num_heads:
            raise ValueError("num_heads must divide d_model")
        self.h, self.hd = num_heads, d_model // num_heads
        self.q_proj = nn.Linear(d_model, d_model)
        self.k_proj = nn.Linear(d_model, d_model)
        self.v_proj = nn.Linear(d_model, d_model)
        self.o_proj = nn.Linear(d_model, d_model)

    def forward(self, x, attention_mask=None):
        B, T, D = x.shape
        q, k, v = (p(x).view(B, T, self.h, self.hd).transpose(1, 2)
                   for p in (self.q_proj, self.k_proj, self.v_proj))
        s = q @ k.transpose(-2, -1) / math.sqrt(self.hd)
        if attention_mask is not None:
            s = s * attention_mask
        out = s.softmax(-1) @ v
        return self.o_proj(out.transpose(1, 2).reshape(B, T, D))


class TransformerEncoderLayer(nn.Module):
    def __init__(self, d_model, num_heads, d_ff, dropout=0.1, norm_first=False):
        super().__init__()
        self.norm_first = norm_first
        self.self_attn = MultiHeadAttention(d_model, num_heads)
        self.linear1 = nn.Linear(d_model, d_ff)
        self.linear2 = nn.Linear(d_ff, d_model)
        self.norm1 = nn.LayerNorm(d_model)
        self.norm2 = nn.LayerNorm(d_model)
        self.dropout = nn.Dropout(dropout)

    def ffn(self, x):
        return self.linear2(self.dropout(F.relu(self.linear1(x))))

    def forward(self, x, attention_mask=None):
        if self.norm_first:
            x = x + self.dropout(self.self_attn(self.norm1(x), attention_mask))
            x = x + self.dropout(self.ffn(self.norm2(x)))
        else:
            x = self.norm1(x + self.dropout(self.self_attn(x, attention_mask)))
            x = self.norm2(x + self.dropout(self.ffn(x)))
        return x
