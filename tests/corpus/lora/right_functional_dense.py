# why: dense formulation: F.linear on the base path plus F.linear(F.linear(x, A), B) for the branch; merge writes a new weight tensor via .data
import math

import torch
import torch.nn as nn
import torch.nn.functional as F


class LoRALinear(nn.Module):
    def __init__(self, in_features, out_features, rank=8, alpha=16.0, dropout=0.0):
        super().__init__()
        if rank <= 0:
            raise ValueError("rank must be positive")
        self.rank, self.alpha = rank, alpha
        self.base = nn.Linear(in_features, out_features, bias=True).requires_grad_(False)
        a = torch.empty(rank, in_features)
        nn.init.kaiming_uniform_(a, a=math.sqrt(5))
        self.lora_A = nn.Parameter(a)
        self.lora_B = nn.Parameter(torch.zeros(out_features, rank))
        self.p = dropout
        self.merged = False

    @property
    def scaling(self):
        return self.alpha / self.rank

    def _delta(self):
        return self.scaling * (self.lora_B @ self.lora_A)

    def forward(self, x):
        base = F.linear(x, self.base.weight, self.base.bias)
        if self.merged:
            return base
        xd = F.dropout(x, p=self.p, training=self.training)
        return base + self.scaling * F.linear(F.linear(xd, self.lora_A), self.lora_B)

    def merge(self):
        if not self.merged:
            self.base.weight.data = self.base.weight.data + self._delta().detach()
            self.merged = True

    def unmerge(self):
        if self.merged:
            self.base.weight.data = self.base.weight.data - self._delta().detach()
            self.merged = False
