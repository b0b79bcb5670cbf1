# expect: only to float32 precision
# why: computes mean and variance in float32 whatever the input's dtype: a float64 input loses accuracy (not a formula mistake)
import torch
from torch import nn


class LayerNorm(nn.Module):
    def __init__(self, hidden_dim, eps=1e-5):
        super().__init__()
        self.eps = eps
        self.weight = nn.Parameter(torch.ones(hidden_dim))
        self.bias = nn.Parameter(torch.zeros(hidden_dim))

    def forward(self, x):
        h = x.float()
        mu = h.mean(-1, keepdim=True)
        var = ((h - mu) ** 2).mean(-1, keepdim=True)
        return ((h - mu) / torch.sqrt(var + self.eps)).to(x.dtype) * self.weight + self.bias
