# expect: ✗ ValueError for p and q of different shapes
# why: no shape check: numpy silently broadcasts a (C,) q against an (n, C) p
import numpy as np


def kl_divergence(p, q, eps=1e-10):
    if np.any(p < 0) or np.any(q < 0):
        raise ValueError("negative probability")
    if not (np.allclose(p.sum(-1), 1) and np.allclose(q.sum(-1), 1)):
        raise ValueError("not normalised")
    q = np.maximum(q, eps)
    safe = np.where(p > 0, p, 1.0)
    kl = np.where(p > 0, p * np.log(safe / q), 0.0).sum(-1)
    return float(kl) if np.ndim(kl) == 0 else kl
