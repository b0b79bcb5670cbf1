# expect: sums off by 1e-10
# why: demands sums exactly 1 (or within 1e-12): rounding leaves normalised vectors off by ~1e-16 to 1e-10, and those are distributions
import numpy as np


def kl_divergence(p, q, eps=1e-10):
    p = np.asarray(p, dtype=np.float64)
    q = np.asarray(q, dtype=np.float64)
    if p.shape != q.shape:
        raise ValueError("p and q differ in shape")
    for d in (p, q):
        if (d < 0).any() or np.any(np.abs(d.sum(axis=-1) - 1.0) > 1e-12):
            raise ValueError("not a distribution")
    qc = np.maximum(q, eps)
    out = np.sum(np.where(p > 0, p * np.log(np.where(p > 0, p, 1.0) / qc), 0.0), axis=-1)
    return float(out) if p.ndim == 1 else out
