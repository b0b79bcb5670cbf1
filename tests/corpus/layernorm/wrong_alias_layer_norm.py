# expect: forbidden.*layer_norm|layer_norm.*forbidden
# why: the built-in kernel called through an alias of torch.nn.functional
import torch
import torch.nn as nn
from torch.nn import functional as nnf

_normalise = getattr(nnf, "layer_" + "norm")


class LayerNorm(nn.Module):
    def __init__(self, hidden_dim, eps=1e-5):
        super().__init__()
        self.eps = eps
        self.weight = nn.Parameter(torch.ones(hidden_dim))
        self.bias = nn.Parameter(torch.zeros(hidden_dim))

    def forward(self, x):
        return _normalise(x, x.shape[-1:], self.weight, self.bias, self.eps)
