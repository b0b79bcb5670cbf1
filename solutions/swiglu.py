"""Reference: the SwiGLU feed-forward block (Shazeer 2020; Llama's MLP)."""
import torch
import torch.nn as nn
import torch.nn.functional as F


class SwiGLU(nn.Module):
    def __init__(self, d_model: int, d_ff: int):
        super().__init__()
        # No biases, as in PaLM and Llama.
        self.gate_proj = nn.Linear(d_model, d_ff, bias=False)
        self.up_proj = nn.Linear(d_model, d_ff, bias=False)
        self.down_proj = nn.Linear(d_ff, d_model, bias=False)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        # x: (..., d_model)
        gate = F.silu(self.gate_proj(x))        # (..., d_ff), silu(z) = z * sigmoid(z)
        up = self.up_proj(x)                    # (..., d_ff), linear: no activation
        return self.down_proj(gate * up)        # (..., d_model)
