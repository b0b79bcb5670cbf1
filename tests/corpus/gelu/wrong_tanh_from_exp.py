# expect: tanh built from exp overflows
# why: classic: tanh written with exp, inf/inf = nan at large |x|
import math

import torch


def gelu(x, approximate="none"):
    if approximate == "none":
        return 0.5 * x * (1 + torch.erf(x / math.sqrt(2)))
    if approximate == "tanh":
        return 0.5 * x * (1 + (torch.exp(2 * (u := math.sqrt(2 / math.pi) * (x + 0.044715 * x ** 3))) - 1) / (torch.exp(2 * u) + 1))
    raise ValueError(approximate)
