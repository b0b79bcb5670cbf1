# why: one new token at a time, each attending to the keys up to its own position by slicing
import math

import torch
from torch import nn


class CachedSelfAttention(nn.Module):
    def __init__(self, d_model, num_heads):
        super().__init__()
        if num_heads < 1 or d_model % num_heads:
            raise ValueError(f"{num_heads} heads do not divide d_model = {d_model}")
        self.num_heads = num_heads
        self.q_proj = nn.Linear(d_model, d_model)
        self.k_proj = nn.Linear(d_model, d_model)
        self.v_proj = nn.Linear(d_model, d_model)
        self.o_proj = nn.Linear(d_model, d_model)

    def _to_heads(self, t):
        b, n, d = t.shape
        return t.reshape(b, n, self.num_heads, d // self.num_heads).permute(0, 2, 1, 3)

    def forward(self, x, cache=None):
        b, n, d = x.shape
        q = self._to_heads(self.q_proj(x))
        keys = self._to_heads(self.k_proj(x))
        values = self._to_heads(self.v_proj(x))
        if cache:
            keys = torch.cat((cache[0], keys), dim=-2)
            values = torch.cat((cache[1], values), dim=-2)
        past = keys.size(-2) - n
        outs = []
        for t in range(n):
            visible = past + t + 1
            logits = torch.einsum("bhd,bhkd->bhk", q[:, :, t], keys[:, :, :visible]) / math.sqrt(q.size(-1))
            outs.append(torch.einsum("bhk,bhkd->bhd", logits.softmax(-1), values[:, :, :visible]))
        merged = torch.stack(outs, dim=2).permute(0, 2, 1, 3).reshape(b, n, d)
        return self.o_proj(merged), (keys, values)
