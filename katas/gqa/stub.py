import math

import torch
from torch import nn


class GroupedQueryAttention(nn.Module):
    """Grouped-query attention (as in Llama 2/3).

    Submodules (nn.Linear with bias): q_proj d_model -> d_model, k_proj and v_proj
    d_model -> num_kv_heads * head_dim, o_proj d_model -> d_model,
    where head_dim = d_model // num_heads.
    Query head h reads kv head h // (num_heads // num_kv_heads).
    Raises ValueError unless num_heads divides d_model and num_kv_heads divides num_heads.
    """

    def __init__(self, d_model: int, num_heads: int, num_kv_heads: int):
        super().__init__()
        raise NotImplementedError

    def forward(self, x: torch.Tensor, attention_mask: torch.Tensor | None = None) -> torch.Tensor:
        """x: (B, T, d_model) -> (B, T, d_model).

        attention_mask: bool or 0/1 integer tensor broadcastable to (B, num_heads, T, T);
        True/1 = query may attend to key. None = attend everywhere.
        """
        raise NotImplementedError
