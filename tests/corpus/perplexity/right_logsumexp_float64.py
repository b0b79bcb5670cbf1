# why: correct, written differently: logsumexp minus the label's logit, in float64, over the kept positions selected by boolean indexing
import math

import torch


def perplexity(logits, labels, ignore_index=-100):
    x = logits[:, :-1].double()
    y = labels[:, 1:]
    keep = y != ignore_index
    if int(keep.sum()) == 0:
        raise ValueError("nothing to score")
    x, y = x[keep], y[keep]
    nll = torch.logsumexp(x, dim=-1) - x.gather(-1, y.unsqueeze(-1)).squeeze(-1)
    return math.exp(nll.mean().item())
