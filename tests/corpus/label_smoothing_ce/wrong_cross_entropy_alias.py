# expect: cross_entropy.*forbidden
# why: the built-in reached through an alias of torch.nn.functional
import torch
from torch.nn import functional as nnf

ce = getattr(nnf, "cross_entropy")


def label_smoothing_cross_entropy(logits, target, smoothing=0.1, ignore_index=-100, reduction="mean"):
    if not 0 <= smoothing <= 1 or reduction not in ("none", "mean", "sum"):
        raise ValueError("bad argument")
    return ce(logits, target, ignore_index=ignore_index, reduction=reduction, label_smoothing=smoothing)
