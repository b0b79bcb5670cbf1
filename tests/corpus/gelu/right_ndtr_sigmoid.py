# why: x·ndtr(x) for the exact form; 0.5·(1 + tanh(u)) = sigmoid(2u) for the tanh form
import math

import torch
from torch.special import ndtr


def gelu(x: torch.Tensor, approximate: str = "none") -> torch.Tensor:
    modes = {"none", "tanh"}
    if approximate not in modes:
        raise ValueError(f"unknown approximate {approximate!r}")
    if approximate == "none":
        return x * ndtr(x)
    u = math.sqrt(2 / math.pi) * (x + 0.044715 * x * x * x)
    return x * torch.sigmoid(2 * u)
