import math

import torch
from torch import nn


class MultiQueryAttention(nn.Module):
    """Multi-query attention: num_heads query heads share a single key/value head.

    Submodules (nn.Linear with bias): q_proj d_model -> d_model, k_proj and v_proj
    d_model -> head_dim (= d_model // num_heads), o_proj d_model -> d_model.
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
