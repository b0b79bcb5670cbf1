# expect: modified its input \(argument 1
# why: builds the result in x's own storage (x.mul_), overwriting the caller's tensor
import math

import torch


def gelu(x, approximate="none"):
    if approximate not in ("none", "tanh"):
        raise ValueError(approximate)
    with torch.no_grad():
        if approximate == "none":
            cdf = 0.5 * (1 + torch.erf(x / math.sqrt(2)))
        else:
            cdf = 0.5 * (1 + torch.tanh(math.sqrt(2 / math.pi) * (x + 0.044715 * x ** 3)))
    return x.detach().mul_(cdf)
