# why: vectorised like HF: acceptance mask, cumprod to find the first rejection, u*q <= p form
import numpy as np


def speculative_step(draft_tokens, q, p, u, sample):
    draft = np.asarray(draft_tokens)
    K = draft.shape[0]
    rows = np.arange(K)
    ok = u * q[rows, draft] <= p[rows, draft]
    n = int(np.cumprod(ok).sum())
    kept = [int(t) for t in draft[:n]]
    if n == K:
        return kept + [int(sample(p[K]))]
    residual = np.clip(p[n] - q[n], 0, None)
    return kept + [int(sample(residual / np.sum(residual)))]
