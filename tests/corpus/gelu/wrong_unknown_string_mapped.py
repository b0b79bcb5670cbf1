# expect: expected ValueError.*returned normally
# why: classic: anything that is not 'tanh' silently gets the exact form
import math

import torch


def gelu(x, approximate="none"):
    if approximate != "tanh":
        return 0.5 * x * (1 + torch.erf(x / math.sqrt(2)))
    if approximate == "tanh":
        return 0.5 * x * (1 + torch.tanh(math.sqrt(2 / math.pi) * (x + 0.044715 * x ** 3)))
    raise ValueError(approximate)
