# why: an explicit loop over rows and positions with logsumexp; returns a 0-dim tensor
import torch


def perplexity(logits, labels, ignore_index=-100):
    total = logits.new_zeros(())
    n = 0
    B, T, _ = logits.shape
    for b in range(B):
        for t in range(1, T):
            y = int(labels[b, t])
            if y == ignore_index:
                continue
            row = logits[b, t - 1]
            total = total + torch.logsumexp(row, 0) - row[y]
            n += 1
    if n == 0:
        raise ValueError("no counted token")
    return torch.exp(total / n)
