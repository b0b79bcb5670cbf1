# why: F.cosine_similarity with broadcasting and a hand-written log-sum-exp cross-entropy
import torch
import torch.nn.functional as F


def info_nce(query, positive, negatives=None, temperature=0.1):
    if negatives is not None:
        cands = torch.cat([positive.unsqueeze(1), negatives], dim=1)     # (B, 1 + N, D)
        sims = F.cosine_similarity(query.unsqueeze(1), cands, dim=-1)    # (B, 1 + N)
        target_sim = sims[:, 0]
    else:
        sims = F.cosine_similarity(query.unsqueeze(1), positive.unsqueeze(0), dim=-1)  # (B, B)
        target_sim = sims.diagonal()
    logits = sims / temperature
    return (torch.logsumexp(logits, dim=1) - target_sim / temperature).mean()
