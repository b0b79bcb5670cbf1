# why: turns the bool mask into an additive float bias (0 / -inf) of the input's dtype
import math

import torch
import torch.nn.functional as F
from torch import nn


class MultiHeadAttention(nn.Module):
    def __init__(self, d_model, num_heads):
        super().__init__()
        if d_model % num_heads != 0:
            raise ValueError("num_heads must divide d_model")
        self.n_heads = num_heads
        self.scale = (d_model // num_heads) ** -0.5
        for name in ("q_proj", "k_proj", "v_proj", "o_proj"):
            setattr(self, name, nn.Linear(d_model, d_model))

    def _heads(self, t):
        B, T, D = t.shape
        return t.unflatten(-1, (self.n_heads, D // self.n_heads)).permute(0, 2, 1, 3)

    def forward(self, x, attention_mask=None):
        q, k, v = self._heads(self.q_proj(x)), self._heads(self.k_proj(x)), self._heads(self.v_proj(x))
        scores = torch.matmul(q, k.transpose(-1, -2)) * self.scale
        if attention_mask is not None:
            bias = torch.zeros(attention_mask.shape, dtype=scores.dtype, device=scores.device)
            bias = bias.masked_fill(attention_mask == 0, float("-inf"))
            scores = scores + bias
        out = torch.matmul(F.softmax(scores, dim=-1), v)
        return self.o_proj(out.permute(0, 2, 1, 3).flatten(2))
