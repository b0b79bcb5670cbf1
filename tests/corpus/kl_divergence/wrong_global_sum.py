# expect: ✗ batches
# why: seed trap: checks np.sum(p) == 1 and sums the KL over the whole array, so batches break
import numpy as np


def kl_divergence(p, q, eps=1e-10):
    if p.shape != q.shape:
        raise ValueError("shape mismatch")
    if np.any(p < 0) or np.any(q < 0):
        raise ValueError("negative probability")
    if not (np.isclose(np.sum(p), 1) and np.isclose(np.sum(q), 1)):
        raise ValueError("not normalised")
    q = np.clip(q, eps, None)
    safe = np.where(p > 0, p, 1.0)
    return float(np.sum(np.where(p > 0, p * np.log(safe / q), 0.0)))
