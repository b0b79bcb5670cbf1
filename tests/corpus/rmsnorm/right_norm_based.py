# why: the root mean square from the L2 norm, computed in the input dtype when it is float32/64
import torch
from torch import nn


class RMSNorm(nn.Module):
    def __init__(self, hidden_dim: int, eps: float = 1e-6):
        super().__init__()
        self.eps = eps
        self.weight = nn.Parameter(torch.ones(hidden_dim))

    def forward(self, x):
        h = x.float() if x.element_size() < 4 else x
        ms = torch.linalg.vector_norm(h, dim=-1, keepdim=True) ** 2 / x.shape[-1]
        y = h / torch.sqrt(ms + self.eps) * self.weight.to(h.dtype)
        return y.to(x.dtype)
