# why: einsum for the low-rank branch, merge/unmerge through in-place addmm_ with the scaling as alpha
import math

import torch
import torch.nn as nn


class LoRALinear(nn.Module):
    def __init__(self, in_features: int, out_features: int, rank: int = 8,
                 alpha: float = 16.0, dropout: float = 0.0):
        super().__init__()
        if rank < 1:
            raise ValueError(f"rank must be >= 1, got {rank}")
        self.base = nn.Linear(in_features, out_features)
        for p in self.base.parameters():
            p.requires_grad_(False)
        self.lora_A = nn.Parameter(torch.zeros(rank, in_features))
        nn.init.kaiming_uniform_(self.lora_A, a=math.sqrt(5))
        self.lora_B = nn.Parameter(torch.zeros(out_features, rank))
        self.scaling = alpha / rank
        self.drop = nn.Dropout(p=dropout)
        self.merged = False

    def forward(self, x):
        out = self.base(x)
        if self.merged:
            return out
        h = torch.einsum("...i,ri->...r", self.drop(x), self.lora_A)
        return out + self.scaling * torch.einsum("...r,or->...o", h, self.lora_B)

    def merge(self):
        if self.merged:
            return
        with torch.no_grad():
            self.base.weight.addmm_(self.lora_B, self.lora_A, alpha=self.scaling)
        self.merged = True

    def unmerge(self):
        if not self.merged:
            return
        with torch.no_grad():
            self.base.weight.addmm_(self.lora_B, self.lora_A, alpha=-self.scaling)
        self.merged = False
