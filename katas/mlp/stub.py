import torch
import torch.nn as nn
import torch.nn.functional as F


class MLP(nn.Module):
    def __init__(self, d_model: int, d_ff: int, dropout: float = 0.1):
        """Position-wise feed-forward block.

        Submodules: `linear1` (nn.Linear d_model -> d_ff) and
        `linear2` (nn.Linear d_ff -> d_model), both with bias.
        """
        super().__init__()
        raise NotImplementedError

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        """x: (..., d_model) -> (..., d_model).

        linear1 -> ReLU -> dropout (train mode only) -> linear2.
        """
        raise NotImplementedError
