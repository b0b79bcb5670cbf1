# expect: shift|t \+ 1
# why: scores logits[:, t] against labels[:, t]: the model "predicts" the token it is given
import math

import torch
import torch.nn.functional as F


def perplexity(logits, labels, ignore_index=-100) -> float:
    keep = labels != ignore_index
    if not keep.any():
        raise ValueError("nothing to score")
    logp = F.log_softmax(logits, dim=-1)
    safe = labels.masked_fill(~keep, 0)
    nll = -logp.gather(-1, safe[..., None])[..., 0]
    return math.exp((nll * keep).sum().item() / keep.sum().item())
