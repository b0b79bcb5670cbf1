# expect: ✗ zeros in p
# why: p * log(p / q) with p_i = 0 evaluates 0 * -inf = nan instead of adding 0
import numpy as np


def kl_divergence(p, q, eps=1e-10):
    if p.shape != q.shape:
        raise ValueError("shape mismatch")
    if np.any(p < 0) or np.any(q < 0):
        raise ValueError("negative probability")
    if not (np.allclose(p.sum(-1), 1) and np.allclose(q.sum(-1), 1)):
        raise ValueError("not normalised")
    q = np.clip(q, eps, None)
    kl = np.sum(p * np.log(p / q), axis=-1)
    return float(kl) if p.ndim == 1 else kl
