# expect: rows off by \+0.1 and -0.1
# why: checks that the whole batch sums to its number of rows, so a row at 1.1 and a row at 0.9 pass as distributions
import numpy as np


def kl_divergence(p, q, eps=1e-10):
    p = np.asarray(p, dtype=np.float64)
    q = np.asarray(q, dtype=np.float64)
    if p.shape != q.shape:
        raise ValueError("p and q differ in shape")
    rows = p.size // p.shape[-1]
    for d in (p, q):
        if (d < 0).any() or abs(d.sum() - rows) > 1e-6:
            raise ValueError("not a distribution")
    qc = np.maximum(q, eps)
    out = np.sum(np.where(p > 0, p * np.log(np.where(p > 0, p, 1.0) / qc), 0.0), axis=-1)
    return float(out) if p.ndim == 1 else out
