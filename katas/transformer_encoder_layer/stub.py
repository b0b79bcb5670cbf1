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


class TransformerEncoderLayer(nn.Module):
    """Self-attention + ReLU feed-forward, each in a residual block with a LayerNorm.

    Submodules: self_attn (MultiHeadAttention), linear1 (d_model -> d_ff),
    linear2 (d_ff -> d_model), norm1, norm2 (nn.LayerNorm(d_model)).
    norm_first=False (post-norm): x = norm1(x + attn(x)); x = norm2(x + ffn(x))
    norm_first=True  (pre-norm):  x = x + attn(norm1(x)); x = x + ffn(norm2(x))
    Dropout (train mode only) after the ReLU and on each sublayer's output.
    forward(x (B, T, d_model), attention_mask=None) -> (B, T, d_model), same dtype/device.
    """

    def __init__(self, d_model: int, num_heads: int, d_ff: int, dropout: float = 0.1,
                 norm_first: bool = False):
        super().__init__()
        raise NotImplementedError

    def forward(self, x: torch.Tensor, attention_mask: torch.Tensor | None = None) -> torch.Tensor:
        raise NotImplementedError
