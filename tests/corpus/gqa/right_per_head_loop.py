# why: a loop over query heads that looks up kv head h // G explicitly
import math

import torch
from torch import nn


class GroupedQueryAttention(nn.Module):
    def __init__(self, d_model, num_heads, num_kv_heads):
        super().__init__()
        if d_model % num_heads != 0 or num_heads % num_kv_heads != 0:
            raise ValueError("bad head configuration")
        self.num_heads = num_heads
        self.group = num_heads // num_kv_heads
        self.hd = d_model // num_heads
        self.q_proj = nn.Linear(d_model, d_model)
        self.k_proj = nn.Linear(d_model, num_kv_heads * self.hd)
        self.v_proj = nn.Linear(d_model, num_kv_heads * self.hd)
        self.o_proj = nn.Linear(d_model, d_model)

    def forward(self, x, attention_mask=None):
        B, T, _ = x.shape
        q, k, v = self.q_proj(x), self.k_proj(x), self.v_proj(x)
        if attention_mask is not None:
            allowed = attention_mask.bool().expand(B, self.num_heads, T, T)
        outs = []
        for h in range(self.num_heads):
            j = h // self.group
            qh = q[:, :, h * self.hd:(h + 1) * self.hd]
            kh = k[:, :, j * self.hd:(j + 1) * self.hd]
            vh = v[:, :, j * self.hd:(j + 1) * self.hd]
            s = torch.bmm(qh, kh.transpose(1, 2)) / math.sqrt(self.hd)
            if attention_mask is not None:
                s = s.masked_fill(~allowed[:, h], float("-inf"))
            outs.append(torch.bmm(torch.softmax(s, dim=-1), vh))
        return self.o_proj(torch.cat(outs, dim=-1))
