import torch
import torch.nn as nn


class LayerNorm(nn.Module):
    def __init__(self, hidden_dim: int, eps: float = 1e-5):
        """Layer normalization over the last dimension.

        Parameters: `weight` (hidden_dim,) initialised to ones and
        `bias` (hidden_dim,) initialised to zeros.
        """
        super().__init__()
        raise NotImplementedError

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        """x: (..., hidden_dim) -> (..., hidden_dim), same dtype and device.

        y = (x - mean) / sqrt(var + eps) * weight + bias, with the mean and the
        biased variance taken over the last dimension.
        """
        raise NotImplementedError
