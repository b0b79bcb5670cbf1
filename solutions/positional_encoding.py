"""Reference: sinusoidal positional encoding (Vaswani et al., 2017)."""
import torch
from torch import nn


class PositionalEncoding(nn.Module):
    """Adds the fixed sinusoidal table to a batch of embeddings.

    pe[0, pos, 2i]     = sin(pos / 10000^(2i / d_model))
    pe[0, pos, 2i + 1] = cos(pos / 10000^(2i / d_model))
    """

    def __init__(self, d_model: int, max_len: int = 5000):
        super().__init__()
        if d_model <= 0 or d_model % 2 != 0:
            raise ValueError(f"d_model must be a positive even number, got {d_model}")
        if max_len <= 0:
            raise ValueError(f"max_len must be positive, got {max_len}")
        self.d_model = d_model
        self.max_len = max_len

        # Build the table in float64, then store it in the default dtype: the
        # angles reach max_len radians, where float32 arithmetic alone would
        # already lose ~1e-4 of accuracy.
        position = torch.arange(max_len, dtype=torch.float64).unsqueeze(1)       # (max_len, 1)
        two_i = torch.arange(0, d_model, 2, dtype=torch.float64)                 # (d/2,)
        inv_freq = 10000.0 ** (-two_i / d_model)                                 # (d/2,) 10000^(-2i/d)
        angles = position * inv_freq                                             # (max_len, d/2)
        pe = torch.empty(max_len, d_model, dtype=torch.float64)
        pe[:, 0::2] = torch.sin(angles)
        pe[:, 1::2] = torch.cos(angles)
        # A buffer, not a parameter: it moves with .to()/.double() and is saved
        # in the state_dict, but the optimizer never sees it.
        self.register_buffer("pe", pe.unsqueeze(0).to(torch.get_default_dtype()))  # (1, max_len, d)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        if x.dim() != 3 or x.size(-1) != self.d_model:
            raise ValueError(f"expected x of shape (B, T, {self.d_model}), got {tuple(x.shape)}")
        seq_len = x.size(1)
        if seq_len > self.max_len:
            raise ValueError(f"sequence length {seq_len} exceeds max_len {self.max_len}")
        # Cast the slice so that the output keeps x's dtype and device.
        return x + self.pe[:, :seq_len].to(dtype=x.dtype, device=x.device)
