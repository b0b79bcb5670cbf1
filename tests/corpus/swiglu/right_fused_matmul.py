# why: gate and up weights concatenated at call time into one matmul, then split; parameters keep their names
import torch
import torch.nn as nn
import torch.nn.functional as F


class SwiGLU(nn.Module):
    def __init__(self, d_model, d_ff):
        super().__init__()
        self.d_ff = d_ff
        self.gate_proj = nn.Linear(d_model, d_ff, bias=False)
        self.up_proj = nn.Linear(d_model, d_ff, bias=False)
        self.down_proj = nn.Linear(d_ff, d_model, bias=False)
        self.act = nn.SiLU()

    def forward(self, x):
        w = torch.cat([self.gate_proj.weight, self.up_proj.weight], dim=0)   # (2*d_ff, d_model)
        gate, up = F.linear(x, w).split(self.d_ff, dim=-1)
        return F.linear(self.act(gate) * up, self.down_proj.weight)
