# expect: `weight` is float64 in a freshly built module
# why: parameters made from numpy arrays are float64: a fresh module turns float32 input into float64
import numpy as np
import torch
from torch import nn


class LayerNorm(nn.Module):
    def __init__(self, hidden_dim, eps=1e-5):
        super().__init__()
        self.eps = eps
        self.weight = nn.Parameter(torch.from_numpy(np.ones(hidden_dim)))
        self.bias = nn.Parameter(torch.from_numpy(np.zeros(hidden_dim)))

    def forward(self, x):
        mu = x.mean(-1, keepdim=True)
        var = ((x - mu) ** 2).mean(-1, keepdim=True)
        return (x - mu) / torch.sqrt(var + self.eps) * self.weight + self.bias
