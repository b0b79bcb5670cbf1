"""Reference: Layer Normalization over the last dimension (as nn.LayerNorm)."""
import torch
import torch.nn as nn


class LayerNorm(nn.Module):
    def __init__(self, hidden_dim: int, eps: float = 1e-5):
        super().__init__()
        self.hidden_dim = hidden_dim
        self.eps = eps
        # The affine transform starts as the identity: scale 1, shift 0.
        self.weight = nn.Parameter(torch.ones(hidden_dim))
        self.bias = nn.Parameter(torch.zeros(hidden_dim))

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        # x: (..., hidden_dim); statistics per position, over the features only.
        mean = x.mean(dim=-1, keepdim=True)                     # (..., 1)
        centered = x - mean                                     # (..., hidden_dim)
        # Biased variance (divide by hidden_dim, not hidden_dim - 1), computed from
        # the centred values: E[x^2] - E[x]^2 cancels catastrophically for large offsets.
        var = centered.pow(2).mean(dim=-1, keepdim=True)        # (..., 1)
        # eps goes inside the square root, so a constant row maps to 0, not to nan.
        x_hat = centered * torch.rsqrt(var + self.eps)          # (..., hidden_dim)
        return x_hat * self.weight + self.bias
