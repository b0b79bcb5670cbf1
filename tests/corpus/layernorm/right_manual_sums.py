# why: explicit sums divided by H, addcmul for the affine part
import torch
from torch import nn


class LayerNorm(nn.Module):
    def __init__(self, hidden_dim, eps=1e-5):
        super().__init__()
        self.hidden_dim = hidden_dim
        self.eps = eps
        self.register_parameter("weight", nn.Parameter(torch.ones(hidden_dim)))
        self.register_parameter("bias", nn.Parameter(torch.zeros(hidden_dim)))

    def forward(self, x):
        n = x.shape[-1]
        c = x - x.sum(dim=-1, keepdim=True) / n
        var = (c * c).sum(dim=-1, keepdim=True) / n
        return torch.addcmul(self.bias, c / (var + self.eps).sqrt(), self.weight)
