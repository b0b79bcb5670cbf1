# expect: large offset|1e4|cancel
# why: var = E[x^2] - E[x]^2 cancels catastrophically when the inputs sit around 1e4
import torch
import torch.nn as nn


class LayerNorm(nn.Module):
    def __init__(self, hidden_dim, eps=1e-5):
        super().__init__()
        self.eps = eps
        self.weight = nn.Parameter(torch.ones(hidden_dim))
        self.bias = nn.Parameter(torch.zeros(hidden_dim))

    def forward(self, x):
        mean = x.mean(-1, keepdim=True)
        var = (x * x).mean(-1, keepdim=True) - mean * mean
        return (x - mean) * torch.rsqrt(var + self.eps) * self.weight + self.bias
