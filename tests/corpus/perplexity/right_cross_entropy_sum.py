# why: F.cross_entropy with the given ignore_index and reduction="sum", divided once by the count
import math

import torch.nn.functional as F


def perplexity(logits, labels, ignore_index=-100) -> float:
    V = logits.size(-1)
    targets = labels[:, 1:].reshape(-1)
    count = (targets != ignore_index).sum().item()
    if count == 0:
        raise ValueError("every target is ignored")
    total = F.cross_entropy(logits[:, :-1].reshape(-1, V), targets,
                            ignore_index=ignore_index, reduction="sum")
    return math.exp(total.item() / count)
