# expect: eps
# why: seed trap: eps is added to the standard deviation instead of inside the square root
import torch
import torch.nn as nn


class LayerNorm(nn.Module):
    def __init__(self, hidden_dim, eps=1e-5):
        super().__init__()
        self.eps = eps
        self.weight = nn.Parameter(torch.ones(hidden_dim))
        self.bias = nn.Parameter(torch.zeros(hidden_dim))

    def forward(self, x):
        mean = x.mean(dim=-1, keepdim=True)
        std = (x - mean).pow(2).mean(dim=-1, keepdim=True).sqrt()
        return self.weight * (x - mean) / (std + self.eps) + self.bias
