# expect: softmax over the last axis \(the context tokens\)
# why: softmax over dim=-2, so each context token's weights sum to 1 instead of each query's
import math

import torch
from torch import nn


class CrossAttention(nn.Module):
    def __init__(self, d_model, num_heads):
        super().__init__()
        if d_model % num_heads:
            raise ValueError("d_model must be divisible by num_heads")
        self.h, self.dk = num_heads, d_model // num_heads
        self.q_proj = nn.Linear(d_model, d_model)
        self.k_proj = nn.Linear(d_model, d_model)
        self.v_proj = nn.Linear(d_model, d_model)
        self.o_proj = nn.Linear(d_model, d_model)

    def _split(self, t):
        return t.view(t.shape[0], -1, self.h, self.dk).transpose(1, 2)

    def forward(self, x, context, attention_mask=None):
        B, Tq, D = x.shape
        q = self._split(self.q_proj(x))
        k = self._split(self.k_proj(context))
        v = self._split(self.v_proj(context))
        scores = q @ k.transpose(-2, -1) / math.sqrt(self.dk)
        if attention_mask is not None:
            scores = scores.masked_fill(attention_mask == 0, float("-inf"))
        out = torch.softmax(scores, dim=-2) @ v
        return self.o_proj(out.transpose(1, 2).reshape(B, Tq, D))
