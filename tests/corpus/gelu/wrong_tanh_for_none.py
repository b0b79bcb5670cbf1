# expect: you computed the tanh approximation
# why: the default 'none' computed with the tanh approximation
import math

import torch


def gelu(x, approximate="none"):
    if approximate == "none":
        return gelu(x, "tanh")
    if approximate == "tanh":
        return 0.5 * x * (1 + torch.tanh(math.sqrt(2 / math.pi) * (x + 0.044715 * x ** 3)))
    raise ValueError(approximate)
