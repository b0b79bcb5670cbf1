import math

import torch
import torch.nn as nn


class RotaryEmbedding(nn.Module):
    def __init__(self, head_dim: int, base: float = 10000.0, interleaved: bool = True):
        """Rotary position embedding applied to queries or keys.

        Feature pair i (i = 0 .. head_dim/2 - 1) is rotated by the angle
        pos * base^(-2i / head_dim). The pairs are
            interleaved=True:  (x[2i], x[2i + 1])        (RoFormer)
            interleaved=False: (x[i],  x[i + head_dim/2]) (GPT-NeoX, HF Llama)
        Raises ValueError if head_dim is odd. No trainable parameters, and nothing
        in the state_dict.
        """
        super().__init__()
        raise NotImplementedError

    def forward(self, x: torch.Tensor, position_ids: torch.Tensor | None = None) -> torch.Tensor:
        """x: (B, H, T, head_dim); position_ids: LongTensor (B, T), default arange(T).

        Returns the rotated tensor, (B, H, T, head_dim), same dtype and device as x.
        """
        raise NotImplementedError
