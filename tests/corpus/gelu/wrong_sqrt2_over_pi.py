# expect: √\(2/π\) ≈ 0.7979, not √2/π
# why: classic: math.sqrt(2) / math.pi instead of math.sqrt(2 / math.pi)
import math

import torch


def gelu(x, approximate="none"):
    if approximate == "none":
        return 0.5 * x * (1 + torch.erf(x / math.sqrt(2)))
    if approximate == "tanh":
        return 0.5 * x * (1 + torch.tanh(math.sqrt(2) / math.pi * (x + 0.044715 * x ** 3)))
    raise ValueError(approximate)
