# expect: wrong dtype: expected torch.float32, got torch.float64
# why: computes in float64 and returns float64 for float32 input
import math

import torch


def gelu(x, approximate="none"):
    x = x.double()
    if approximate == "none":
        return 0.5 * x * (1 + torch.erf(x / math.sqrt(2)))
    if approximate == "tanh":
        return 0.5 * x * (1 + torch.tanh(math.sqrt(2 / math.pi) * (x + 0.044715 * x ** 3)))
    raise ValueError(approximate)
