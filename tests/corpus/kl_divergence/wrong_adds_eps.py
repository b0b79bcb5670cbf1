# expect: eps = 1e-2: q clipped below
# why: divides by q + eps instead of clipping q at eps: the same at eps = 1e-10, off by about 1% at eps = 1e-2
import numpy as np


def kl_divergence(p, q, eps=1e-10):
    p = np.asarray(p, dtype=np.float64)
    q = np.asarray(q, dtype=np.float64)
    if p.shape != q.shape:
        raise ValueError("p and q differ in shape")
    for d in (p, q):
        if (d < 0).any() or not np.allclose(d.sum(axis=-1), 1.0, rtol=0, atol=1e-6):
            raise ValueError("not a distribution")
    ratio = np.where(p > 0, p, 1.0) / (q + eps)
    out = np.sum(np.where(p > 0, p * np.log(ratio), 0.0), axis=-1)
    return float(out) if p.ndim == 1 else out
