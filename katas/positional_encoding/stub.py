import math

import torch
import torch.nn as nn


class PositionalEncoding(nn.Module):
    def __init__(self, d_model: int, max_len: int = 5000):
        """Fixed sinusoidal positional encoding.

        Registers a buffer (not a parameter) `pe` of shape (1, max_len, d_model):
            pe[0, pos, 2i]     = sin(pos / 10000^(2i / d_model))
            pe[0, pos, 2i + 1] = cos(pos / 10000^(2i / d_model))
        Raises ValueError if d_model is odd.
        """
        super().__init__()
        raise NotImplementedError

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        """x: (B, T, d_model) -> x + pe[:, :T], shape (B, T, d_model), dtype and device of x.

        Raises ValueError if T > max_len.
        """
        raise NotImplementedError
