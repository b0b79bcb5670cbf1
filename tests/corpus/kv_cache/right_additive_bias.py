# why: an additive -inf bias from absolute positions, heads merged with flatten, cache built by slicing assignment
import math

import torch
import torch.nn as nn
import torch.nn.functional as F


class CachedSelfAttention(nn.Module):
    def __init__(self, d_model: int, num_heads: int):
        super().__init__()
        if d_model % num_heads != 0:
            raise ValueError("d_model must be divisible by num_heads")
        self.heads = num_heads
        for name in ("q_proj", "k_proj", "v_proj", "o_proj"):
            setattr(self, name, nn.Linear(d_model, d_model))

    def forward(self, x, cache=None):
        B, T, D = x.shape
        H = self.heads
        shape = lambda t: t.unflatten(-1, (H, D // H)).transpose(1, 2)
        q, k_new, v_new = shape(self.q_proj(x)), shape(self.k_proj(x)), shape(self.v_proj(x))
        S = 0 if cache is None else cache[0].shape[2]
        k = x.new_empty(B, H, S + T, D // H)
        v = x.new_empty(B, H, S + T, D // H)
        if S:
            k[:, :, :S], v[:, :, :S] = cache
        k[:, :, S:], v[:, :, S:] = k_new, v_new
        q_pos = torch.arange(S, S + T, device=x.device)
        k_pos = torch.arange(S + T, device=x.device)
        bias = torch.zeros(T, S + T, dtype=x.dtype, device=x.device)
        bias = bias.masked_fill(k_pos[None, :] > q_pos[:, None], -math.inf)
        attn = F.softmax(q @ k.transpose(2, 3) * (D // H) ** -0.5 + bias, dim=-1)
        return self.o_proj((attn @ v).transpose(1, 2).flatten(2)), (k, v)
