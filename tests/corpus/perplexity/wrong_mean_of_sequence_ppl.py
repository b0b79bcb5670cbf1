# expect: token-weighted|different lengths
# why: averages the per-sequence perplexities, so a short row weighs as much as a long one
import torch
import torch.nn.functional as F


def perplexity(logits, labels, ignore_index=-100) -> float:
    ppls = []
    for b in range(logits.shape[0]):
        targets = labels[b, 1:]
        keep = targets != ignore_index
        if keep.sum() == 0:
            continue
        nll = F.cross_entropy(logits[b, :-1][keep], targets[keep])
        ppls.append(torch.exp(nll))
    if not ppls:
        raise ValueError("no counted token")
    return torch.stack(ppls).mean().item()
