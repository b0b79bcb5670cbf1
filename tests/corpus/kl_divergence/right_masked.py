# why: boolean masking of the non-zero terms, isclose on per-row sums, np.log(p) - np.log(q)
import numpy as np


def kl_divergence(p, q, eps=1e-10):
    p = np.asarray(p, dtype=float)
    q = np.asarray(q, dtype=float)
    if p.shape != q.shape:
        raise ValueError("p and q must have the same shape")
    if (p < 0).any() or (q < 0).any():
        raise ValueError("negative entries")
    if not np.isclose(p.sum(-1), 1.0).all() or not np.isclose(q.sum(-1), 1.0).all():
        raise ValueError("rows must sum to 1")
    terms = np.zeros_like(p)
    m = p > 0
    terms[m] = p[m] * (np.log(p[m]) - np.log(np.maximum(q[m], eps)))
    out = terms.sum(axis=-1)
    return out.item() if p.ndim == 1 else out
