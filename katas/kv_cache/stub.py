import math

import torch
from torch import nn


class CachedSelfAttention(nn.Module):
    """Causal multi-head self-attention with a KV cache.

    Submodules (nn.Linear(d_model, d_model) with bias): q_proj, k_proj, v_proj, o_proj.
    Raises ValueError when d_model is not divisible by num_heads.
    """

    def __init__(self, d_model: int, num_heads: int):
        super().__init__()
        raise NotImplementedError

    def forward(self, x: torch.Tensor, cache: tuple[torch.Tensor, torch.Tensor] | None = None
                ) -> tuple[torch.Tensor, tuple[torch.Tensor, torch.Tensor]]:
        """x: (B, T, d_model); cache: None or (k_past, v_past), each (B, H, S, head_dim).

        Returns (out (B, T, d_model), (k, v)) with k, v of shape (B, H, S + T, head_dim):
        the past keys/values followed by those of x. New token t (position S + t) attends to
        every cached position and to the new positions <= t.
        """
        raise NotImplementedError
