import torch
import torch.nn.functional as F


def info_nce(query, positive, negatives=None, temperature=0.1):
    """InfoNCE loss with cosine similarities.

    query: (B, D); positive: (B, D); negatives: (B, N, D) or None (in-batch negatives).
    With negatives, row i classifies [positive_i, negatives_i0 .. negatives_i(N-1)],
    target 0; without, row i classifies positive_0 .. positive_(B-1), target i.
    Returns: scalar tensor, the mean cross-entropy over the B rows.
    """
    raise NotImplementedError
