# expect: over D
# why: normalises negatives (B, N, D) over dim=1 (across the negatives) instead of over D
import torch
import torch.nn.functional as F


def info_nce(query, positive, negatives=None, temperature=0.1):
    q = F.normalize(query, dim=1)
    p = F.normalize(positive, dim=1)
    if negatives is None:
        return F.cross_entropy(q @ p.T / temperature, torch.arange(q.shape[0]))
    n = F.normalize(negatives, dim=1)
    pos = (q * p).sum(1, keepdim=True)
    neg = torch.bmm(n, q.unsqueeze(2)).squeeze(2)
    logits = torch.cat([pos, neg], 1) / temperature
    return F.cross_entropy(logits, torch.zeros(q.shape[0], dtype=torch.long))
