# expect: no longer a leaf
# why: merge() adds the update in place without torch.no_grad(): base.weight now carries the graph of lora_B @ lora_A
import math

import torch
from torch import nn


class LoRALinear(nn.Module):
    def __init__(self, in_features, out_features, rank=8, alpha=16.0, dropout=0.0):
        super().__init__()
        if rank <= 0:
            raise ValueError("rank must be positive")
        self.base = nn.Linear(in_features, out_features)
        self.base.weight.requires_grad_(False)
        self.base.bias.requires_grad_(False)
        self.lora_A = nn.Parameter(torch.empty(rank, in_features))
        self.lora_B = nn.Parameter(torch.zeros(out_features, rank))
        nn.init.kaiming_uniform_(self.lora_A, a=math.sqrt(5))
        self.scaling = alpha / rank
        self.dropout = nn.Dropout(dropout)
        self.merged = False

    def merge(self):
        if not self.merged:
            self.base.weight.add_(self.scaling * self.lora_B @ self.lora_A)
            self.merged = True

    def unmerge(self):
        if self.merged:
            self.base.weight.sub_(self.scaling * self.lora_B @ self.lora_A)
            self.merged = False

    def forward(self, x):
        out = self.base(x)
        if self.merged:
            return out
        return out + self.dropout(x) @ self.lora_A.T @ self.lora_B.T * self.scaling
