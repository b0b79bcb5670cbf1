# expect: ignore_index
# why: relies on F.cross_entropy's default ignore_index=-100 instead of the argument
import torch
import torch.nn.functional as F


def perplexity(logits, labels, ignore_index=-100) -> float:
    V = logits.shape[-1]
    shift_logits = logits[:, :-1].reshape(-1, V)
    shift_labels = labels[:, 1:].reshape(-1)
    if (shift_labels == ignore_index).all():
        raise ValueError("no counted token")
    return torch.exp(F.cross_entropy(shift_logits, shift_labels)).item()
