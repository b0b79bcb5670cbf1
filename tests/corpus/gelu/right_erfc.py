# why: Φ(x) = erfc(-x/√2)/2 (more accurate far left), tanh form with a Python constant for √(2/π)
import torch


def gelu(x, approximate="none"):
    if approximate == "none":
        return x * 0.5 * torch.erfc(-x * 0.7071067811865476)
    elif approximate == "tanh":
        return 0.5 * x * (1 + torch.tanh(0.7978845608028654 * (x + 0.044715 * torch.pow(x, 3))))
    else:
        raise ValueError("approximate must be 'none' or 'tanh'")
