# expect: gelu.*forbidden
# why: F.gelu reached through torch.nn.functional under another name
import torch
import torch.nn.functional as nnf

activation = nnf.gelu


def gelu(x, approximate="none"):
    if approximate not in ("none", "tanh"):
        raise ValueError(approximate)
    return activation(x, approximate=approximate)
