# why: divides by the L2 norms by hand and reads the target log-probabilities off log_softmax
import torch


def info_nce(query, positive, negatives=None, temperature=0.1):
    def unit(x):
        return x / x.norm(dim=-1, keepdim=True)

    q, p = unit(query), unit(positive)
    if negatives is None:
        logp = torch.log_softmax(q @ p.t() / temperature, dim=-1)
        return -logp.diagonal().mean()
    n = unit(negatives)
    cands = torch.cat([p[:, None, :], n], dim=1)            # (B, 1 + N, D)
    logits = (cands * q[:, None, :]).sum(-1) / temperature  # (B, 1 + N)
    return -torch.log_softmax(logits, dim=-1)[:, 0].mean()
