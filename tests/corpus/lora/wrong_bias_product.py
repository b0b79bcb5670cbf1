# expect: raised RuntimeError.*size
# why: seed trap: the (out, in) product lora_B @ lora_A * scaling is passed as the bias argument of F.linear (and the real bias is dropped)
import math

import torch
import torch.nn as nn
import torch.nn.functional as F


class LoRALinear(nn.Module):
    def __init__(self, in_features, out_features, rank=8, alpha=16.0, dropout=0.0):
        super().__init__()
        if rank <= 0:
            raise ValueError("rank must be positive")
        self.base = nn.Linear(in_features, out_features)
        self.base.weight.requires_grad = False
        self.base.bias.requires_grad = False
        self.lora_A = nn.Parameter(torch.empty(rank, in_features))
        self.lora_B = nn.Parameter(torch.zeros(out_features, rank))
        nn.init.kaiming_uniform_(self.lora_A, a=math.sqrt(5))
        self.scaling = alpha / rank
        self.dropout = nn.Dropout(dropout)
        self.merged = False

    def forward(self, x):
        if self.merged:
            return self.base(x)
        return F.linear(self.dropout(x), self.base.weight, self.lora_B @ self.lora_A * self.scaling)

    @torch.no_grad()
    def merge(self):
        if not self.merged:
            self.base.weight += self.lora_B @ self.lora_A * self.scaling
            self.merged = True

    @torch.no_grad()
    def unmerge(self):
        if self.merged:
            self.base.weight -= self.lora_B @ self.lora_A * self.scaling
            self.merged = False
