# expect: dropout belongs on the input of the LoRA branch
# why: dropout is applied to the whole output (as in the seed), so in train mode it also zeroes the frozen base path
import math

import torch
import torch.nn as nn


class LoRALinear(nn.Module):
    def __init__(self, in_features, out_features, rank=8, alpha=16.0, dropout=0.0):
        super().__init__()
        if rank <= 0:
            raise ValueError("rank must be positive")
        self.base = nn.Linear(in_features, out_features)
        self.base.requires_grad_(False)
        self.lora_A = nn.Parameter(torch.empty(rank, in_features))
        self.lora_B = nn.Parameter(torch.zeros(out_features, rank))
        nn.init.kaiming_uniform_(self.lora_A, a=math.sqrt(5))
        self.scaling = alpha / rank
        self.dropout = nn.Dropout(dropout)
        self.merged = False

    def forward(self, x):
        y = self.base(x)
        if not self.merged:
            y = y + x @ self.lora_A.T @ self.lora_B.T * self.scaling
        return self.dropout(y)

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
