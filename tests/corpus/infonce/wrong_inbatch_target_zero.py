# expect: in-batch|None
# why: in-batch logits with every target 0 (copied from the explicit-negatives branch)
import torch
import torch.nn.functional as F


def info_nce(query, positive, negatives=None, temperature=0.1):
    q = F.normalize(query, dim=-1)
    p = F.normalize(positive, dim=-1)
    if negatives is None:
        logits = q @ p.T
    else:
        n = F.normalize(negatives, dim=-1)
        logits = torch.cat([(q * p).sum(-1, keepdim=True), (n @ q.unsqueeze(-1)).squeeze(-1)], 1)
    targets = torch.zeros(q.shape[0], dtype=torch.long)
    return F.cross_entropy(logits / temperature, targets)
