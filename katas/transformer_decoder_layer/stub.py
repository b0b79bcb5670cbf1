import math

import torch
import torch.nn.functional as F
from torch import nn


class MultiHeadAttention(nn.Module):
    """Multi-head self-attention.

    Submodules: q_proj, k_proj, v_proj, o_proj, each nn.Linear(d_model, d_model) with bias.
    forward(x (B, T, d_model), attention_mask=None) -> (B, T, d_model)
    attention_mask: bool or 0/1 integer tensor broadcastable to (B, num_heads, T, T);
    True / 1 = "may attend". d_model % num_heads != 0 -> ValueError in __init__.
    """

    def __init__(self, d_model: int, num_heads: int):
        super().__init__()
        raise NotImplementedError

    def forward(self, x: torch.Tensor, attention_mask: torch.Tensor | None = None) -> torch.Tensor:
        raise NotImplementedError


class CrossAttention(nn.Module):
    """Multi-head cross-attention: queries from x (B, T, d), keys/values from context (B, S, d).

    Same four projections as MultiHeadAttention. forward -> (B, T, d_model);
    attention_mask broadcastable to (B, num_heads, T, S), True / 1 = "may attend".
    """

    def __init__(self, d_model: int, num_heads: int):
        super().__init__()
        raise NotImplementedError

    def forward(self, x: torch.Tensor, context: torch.Tensor,
                attention_mask: torch.Tensor | None = None) -> torch.Tensor:
        raise NotImplementedError


class TransformerDecoderLayer(nn.Module):
    """Masked self-attention, cross-attention to memory, ReLU feed-forward; residual + LayerNorm each.

    Submodules: self_attn, cross_attn, linear1 (d_model -> d_ff), linear2 (d_ff -> d_model),
    norm1, norm2, norm3 (nn.LayerNorm(d_model)).
    norm_first=False: x = norm1(x + sa(x)); x = norm2(x + ca(x, memory)); x = norm3(x + ffn(x))
    norm_first=True:  x = x + sa(norm1(x)); x = x + ca(norm2(x), memory); x = x + ffn(norm3(x))
    forward(x (B, T, d_model), memory (B, S, d_model), tgt_mask=None, memory_mask=None)
    -> (B, T, d_model), same dtype/device as x.
    """

    def __init__(self, d_model: int, num_heads: int, d_ff: int, dropout: float = 0.1,
                 norm_first: bool = False):
        super().__init__()
        raise NotImplementedError

    def forward(self, x: torch.Tensor, memory: torch.Tensor,
                tgt_mask: torch.Tensor | None = None,
                memory_mask: torch.Tensor | None = None) -> torch.Tensor:
        raise NotImplementedError
