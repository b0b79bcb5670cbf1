import torch
import torch.nn as nn
import torch.nn.functional as F


class SwiGLU(nn.Module):
    def __init__(self, d_model: int, d_ff: int):
        """SwiGLU feed-forward block.

        Submodules, all nn.Linear without bias: `gate_proj` and `up_proj`
        (d_model -> d_ff), `down_proj` (d_ff -> d_model).
        """
        super().__init__()
        raise NotImplementedError

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        """x: (..., d_model) -> (..., d_model).

        down_proj(silu(gate_proj(x)) * up_proj(x))
        """
        raise NotImplementedError
