"""Reference: causal self-attention with a KV cache (prefill, decode, chunked prefill)."""
import math

import torch
from torch import nn


class CachedSelfAttention(nn.Module):
    def __init__(self, d_model: int, num_heads: int):
        super().__init__()
        if num_heads <= 0 or d_model <= 0 or d_model % num_heads != 0:
            raise ValueError(f"d_model ({d_model}) must be a positive multiple of num_heads ({num_heads})")
        self.num_heads = num_heads
        self.head_dim = d_model // num_heads
        self.q_proj = nn.Linear(d_model, d_model)
        self.k_proj = nn.Linear(d_model, d_model)
        self.v_proj = nn.Linear(d_model, d_model)
        self.o_proj = nn.Linear(d_model, d_model)

    def _heads(self, t: torch.Tensor) -> torch.Tensor:
        # (B, T, d_model) -> (B, T, H, head_dim) -> (B, H, T, head_dim): head h owns its own features
        B, T, _ = t.shape
        return t.reshape(B, T, self.num_heads, self.head_dim).transpose(1, 2)

    def forward(self, x: torch.Tensor, cache=None):
        B, T, d_model = x.shape
        q = self._heads(self.q_proj(x))
        k = self._heads(self.k_proj(x))
        v = self._heads(self.v_proj(x))
        if cache is not None:
            # torch.cat builds new tensors: the caller's cache is left as it was, and gradients
            # flow back into the call that produced it.
            k = torch.cat([cache[0], k], dim=2)
            v = torch.cat([cache[1], v], dim=2)
        S = k.shape[2] - T  # tokens already cached
        # New token t sits at absolute position S + t and sees every key up to it.
        pos = torch.arange(T, device=x.device)[:, None] + S
        keys = torch.arange(S + T, device=x.device)[None, :]
        scores = (q @ k.transpose(-2, -1)) / math.sqrt(self.head_dim)  # (B, H, T, S+T)
        scores = scores.masked_fill(keys > pos, float("-inf"))
        out = scores.softmax(dim=-1) @ v  # (B, H, T, head_dim)
        out = out.transpose(1, 2).reshape(B, T, d_model)
        return self.o_proj(out), (k, v)
