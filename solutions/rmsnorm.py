"""Reference: RMS normalization (Llama / T5 form)."""
import torch
import torch.nn as nn


class RMSNorm(nn.Module):
    def __init__(self, hidden_dim: int, eps: float = 1e-6):
        super().__init__()
        self.hidden_dim = hidden_dim
        self.eps = eps
        self.weight = nn.Parameter(torch.ones(hidden_dim))  # scale only, no bias

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        # x: (..., hidden_dim). No mean is subtracted: only the scale is normalised.
        input_dtype = x.dtype
        # In float16/bfloat16 the mean of squares loses precision (and x^2 can
        # overflow in float16), so the statistics are computed in float32.
        h = x.float() if input_dtype in (torch.float16, torch.bfloat16) else x
        ms = h.pow(2).mean(dim=-1, keepdim=True)                # (..., 1)
        h = h * torch.rsqrt(ms + self.eps)                      # eps inside the root
        # Back to the input dtype before the learned scale (as Llama does).
        return self.weight * h.to(input_dtype)                  # (..., hidden_dim)
