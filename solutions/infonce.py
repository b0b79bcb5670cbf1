"""Reference: InfoNCE contrastive loss with cosine similarities."""
import torch
import torch.nn.functional as F


def info_nce(query, positive, negatives=None, temperature=0.1):
    """query (B, D), positive (B, D), negatives (B, N, D) or None -> scalar tensor.

    With negatives: row i has logits [cos(q_i, p_i), cos(q_i, n_i1), ...] / T, target 0.
    Without: logits[i, j] = cos(q_i, p_j) / T over the batch, target i.
    """
    q = F.normalize(query, dim=-1)                        # (B, D)
    p = F.normalize(positive, dim=-1)                     # (B, D)
    if negatives is not None:
        n = F.normalize(negatives, dim=-1)                # (B, N, D)
        pos = (q * p).sum(dim=-1, keepdim=True)           # (B, 1)
        neg = torch.einsum("bd,bnd->bn", q, n)            # (B, N)
        logits = torch.cat([pos, neg], dim=1) / temperature   # (B, 1 + N)
        targets = torch.zeros(q.shape[0], dtype=torch.long, device=q.device)
    else:
        logits = q @ p.T / temperature                    # (B, B)
        targets = torch.arange(q.shape[0], device=q.device)
    return F.cross_entropy(logits, targets)
