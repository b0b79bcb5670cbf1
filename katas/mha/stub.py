import math

import torch
from torch import nn


class MultiHeadAttention(nn.Module):
    """Multi-head self-attention.

    Submodules (nn.Linear with bias): q_proj, k_proj, v_proj, o_proj, each d_model -> d_model.
    Raises ValueError when d_model is not divisible by num_heads.
    """

    def __init__(self, d_model: int, num_heads: int):
        super().__init__()
        raise NotImplementedError

    def forward(self, x: torch.Tensor, attention_mask: torch.Tensor | None = None) -> torch.Tensor:
        """x: (B, T, d_model) -> (B, T, d_model).

        attention_mask: bool or 0/1 integer tensor broadcastable to (B, num_heads, T, T);
        True/1 = query may attend to key. None = attend everywhere.
        """
        raise NotImplementedError
