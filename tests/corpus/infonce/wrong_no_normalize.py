# expect: scale|normali[sz]
# why: raw dot products instead of cosine similarities: not invariant to the embeddings' norms
import torch
import torch.nn.functional as F


def info_nce(query, positive, negatives=None, temperature=0.1):
    if negatives is None:
        logits = query @ positive.T / temperature
        return F.cross_entropy(logits, torch.arange(query.shape[0]))
    pos = (query * positive).sum(-1, keepdim=True)
    neg = torch.bmm(negatives, query.unsqueeze(2)).squeeze(2)
    logits = torch.cat([pos, neg], 1) / temperature
    return F.cross_entropy(logits, torch.zeros(query.shape[0], dtype=torch.long))
