import math

import torch
from torch import nn


class CrossAttention(nn.Module):
    """Multi-head cross-attention: queries from x, keys and values from context.

    Submodules (nn.Linear with bias): q_proj, k_proj, v_proj, o_proj, each d_model -> d_model.
    Raises ValueError when d_model is not divisible by num_heads.
    """

    def __init__(self, d_model: int, num_heads: int):
        super().__init__()
        raise NotImplementedError

    def forward(
        self,
        x: torch.Tensor,
        context: torch.Tensor,
        attention_mask: torch.Tensor | None = None,
    ) -> torch.Tensor:
        """x: (B, Tq, d_model), context: (B, Tk, d_model) -> (B, Tq, d_model).

        attention_mask: bool or 0/1 integer tensor broadcastable to (B, num_heads, Tq, Tk),
        e.g. a key-padding mask (B, 1, 1, Tk); True/1 = may attend. None = attend everywhere.
        """
        raise NotImplementedError
