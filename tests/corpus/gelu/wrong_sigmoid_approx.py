# expect: sigmoid approximation
# why: classic: x·σ(1.702x) for the exact form
import math

import torch


def gelu(x, approximate="none"):
    if approximate == "none":
        return x * torch.sigmoid(1.702 * x)
    if approximate == "tanh":
        return 0.5 * x * (1 + torch.tanh(math.sqrt(2 / math.pi) * (x + 0.044715 * x ** 3)))
    raise ValueError(approximate)
