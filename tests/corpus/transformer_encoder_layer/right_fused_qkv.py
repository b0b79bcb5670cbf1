# why: one fused QKV matmul built by concatenating the three projection weights at forward time, additive float mask, F.dropout honouring self.training
import math

import torch
import torch.nn.functional as F
from torch import nn


class MultiHeadAttention(nn.Module):
    def __init__(self, d_model, num_heads):
        super().__init__()
        if num_heads < 1 or d_model % num_heads:
            raise ValueError("d_model must be a multiple of num_heads")
        self.d_model, self.num_heads = d_model, num_heads
        self.q_proj = nn.Linear(d_model, d_model)
        self.k_proj = nn.Linear(d_model, d_model)
        self.v_proj = nn.Linear(d_model, d_model)
        self.o_proj = nn.Linear(d_model, d_model)

    def forward(self, x, attention_mask=None):
        B, T, D = x.shape
        H = self.num_heads
        w = torch.cat([self.q_proj.weight, self.k_proj.weight, self.v_proj.weight], dim=0)
        b = torch.cat([self.q_proj.bias, self.k_proj.bias, self.v_proj.bias], dim=0)
        qkv = F.linear(x, w, b).view(B, T, 3, H, D // H).permute(2, 0, 3, 1, 4)  # (3, B, H, T, hd)
        q, k, v = qkv[0], qkv[1], qkv[2]
        scores = torch.matmul(q / math.sqrt(D // H), k.transpose(-1, -2))
        if attention_mask is not None:
            bias = torch.zeros(attention_mask.shape, dtype=x.dtype, device=x.device)
            bias = bias.masked_fill(~attention_mask.to(torch.bool), float("-inf"))
            scores = scores + bias
        out = torch.matmul(F.softmax(scores, dim=-1), v)
        return self.o_proj(out.permute(0, 2, 1, 3).reshape(B, T, D))


class TransformerEncoderLayer(nn.Module):
    def __init__(self, d_model, num_heads, d_ff, dropout=0.1, norm_first=False):
        super().__init__()
        self.p = dropout
        self.norm_first = norm_first
        self.self_attn = MultiHeadAttention(d_model, num_heads)
        self.linear1 = nn.Linear(d_model, d_ff)
        self.linear2 = nn.Linear(d_ff, d_model)
        self.norm1 = nn.LayerNorm(d_model)
        self.norm2 = nn.LayerNorm(d_model)

    def _drop(self, t):
        return F.dropout(t, self.p, training=self.training)

    def forward(self, x, attention_mask=None):
        if not self.norm_first:
            x = self.norm1(x + self._drop(self.self_attn(x, attention_mask)))
            return self.norm2(x + self._drop(self.linear2(self._drop(F.relu(self.linear1(x))))))
        x = x + self._drop(self.self_attn(self.norm1(x), attention_mask))
        h = self.norm2(x)
        return x + self._drop(self.linear2(self._drop(torch.relu(self.linear1(h)))))
