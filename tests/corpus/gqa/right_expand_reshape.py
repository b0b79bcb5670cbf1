# why: Llama's repeat_kv (expand + reshape) and an einsum; additive mask built from the bool mask
import math

import torch
from torch import nn


def repeat_kv(t: torch.Tensor, n_rep: int) -> torch.Tensor:
    """(B, KV, T, d) -> (B, KV * n_rep, T, d), each kv head repeated n_rep times in a row."""
    B, KV, T, d = t.shape
    if n_rep == 1:
        return t
    return t[:, :, None, :, :].expand(B, KV, n_rep, T, d).reshape(B, KV * n_rep, T, d)


class GroupedQueryAttention(nn.Module):
    def __init__(self, d_model: int, num_heads: int, num_kv_heads: int):
        super().__init__()
        if d_model % num_heads:
            raise ValueError("d_model % num_heads != 0")
        if num_heads % num_kv_heads:
            raise ValueError("num_heads % num_kv_heads != 0")
        self.num_heads, self.num_kv_heads = num_heads, num_kv_heads
        self.head_dim = d_model // num_heads
        self.q_proj = nn.Linear(d_model, num_heads * self.head_dim)
        self.k_proj = nn.Linear(d_model, num_kv_heads * self.head_dim)
        self.v_proj = nn.Linear(d_model, num_kv_heads * self.head_dim)
        self.o_proj = nn.Linear(num_heads * self.head_dim, d_model)

    def forward(self, x, attention_mask=None):
        B, T, _ = x.shape
        q = self.q_proj(x).view(B, T, -1, self.head_dim).transpose(1, 2)
        k = self.k_proj(x).view(B, T, -1, self.head_dim).transpose(1, 2)
        v = self.v_proj(x).view(B, T, -1, self.head_dim).transpose(1, 2)
        n_rep = self.num_heads // self.num_kv_heads
        k, v = repeat_kv(k, n_rep), repeat_kv(v, n_rep)
        scores = torch.einsum("bhqd,bhkd->bhqk", q, k) * (self.head_dim ** -0.5)
        if attention_mask is not None:
            neg = torch.finfo(scores.dtype).min
            bias = (1 - attention_mask.to(scores.dtype)) * neg
            scores = scores + bias
        probs = torch.softmax(scores, dim=-1)
        out = torch.einsum("bhqk,bhkd->bqhd", probs, v)
        return self.o_proj(out.reshape(B, T, -1))
