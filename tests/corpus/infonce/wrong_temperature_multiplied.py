# expect: temperature
# why: multiplies the similarities by the temperature instead of dividing by it
import torch
import torch.nn.functional as F


def info_nce(query, positive, negatives=None, temperature=0.1):
    q = F.normalize(query, dim=-1)
    p = F.normalize(positive, dim=-1)
    if negatives is None:
        logits = q @ p.T * temperature
        return F.cross_entropy(logits, torch.arange(q.shape[0]))
    n = F.normalize(negatives, dim=-1)
    logits = torch.cat([(q * p).sum(-1, keepdim=True), torch.einsum("bd,bnd->bn", q, n)], 1)
    return F.cross_entropy(logits * temperature, torch.zeros(q.shape[0], dtype=torch.long))
