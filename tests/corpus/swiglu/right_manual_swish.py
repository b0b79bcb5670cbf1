# why: swish written out as z * sigmoid(z), nn.SiLU not used
import torch
from torch import nn


class SwiGLU(nn.Module):
    def __init__(self, d_model: int, d_ff: int):
        super().__init__()
        self.gate_proj = nn.Linear(d_model, d_ff, bias=False)
        self.up_proj = nn.Linear(d_model, d_ff, bias=False)
        self.down_proj = nn.Linear(d_ff, d_model, bias=False)

    def forward(self, x):
        z = self.gate_proj(x)
        return self.down_proj(z * torch.sigmoid(z) * self.up_proj(x))
