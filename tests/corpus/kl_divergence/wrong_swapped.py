# expect: ✗ computes KL\(p \|\| q\), not KL\(q
# why: computes KL(q || p): the arguments are swapped, which the asymmetric cases expose
import numpy as np


def kl_divergence(p, q, eps=1e-10):
    if p.shape != q.shape:
        raise ValueError("shape mismatch")
    if np.any(p < 0) or np.any(q < 0):
        raise ValueError("negative probability")
    if not (np.allclose(p.sum(-1), 1) and np.allclose(q.sum(-1), 1)):
        raise ValueError("not normalised")
    p_c = np.clip(p, eps, None)
    safe = np.where(q > 0, q, 1.0)
    kl = np.where(q > 0, q * np.log(safe / p_c), 0.0).sum(-1)
    return float(kl) if p.ndim == 1 else kl
