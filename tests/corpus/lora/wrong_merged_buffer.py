# expect: extra buffer `merged`
# why: the merged flag is registered as a buffer, so it lands in the state_dict and a strict load of a plain LoRA checkpoint fails
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
        self.register_buffer("merged", torch.tensor(False))

    def forward(self, x):
        y = self.base(x)
        if not bool(self.merged):
            y = y + self.dropout(x) @ self.lora_A.T @ self.lora_B.T * self.scaling
        return y

    @torch.no_grad()
    def merge(self):
        if not bool(self.merged):
            self.base.weight += self.lora_B @ self.lora_A * self.scaling
            self.merged.fill_(True)

    @torch.no_grad()
    def unmerge(self):
        if bool(self.merged):
            self.base.weight -= self.lora_B @ self.lora_A * self.scaling
            self.merged.fill_(False)
