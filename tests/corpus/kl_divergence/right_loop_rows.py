# why: flattens the batch to rows and loops with math.log, skipping p_i == 0
import math

import numpy as np


def kl_divergence(p, q, eps=1e-10):
    if np.shape(p) != np.shape(q):
        raise ValueError("shape mismatch")
    shape = np.shape(p)
    P = np.reshape(p, (-1, shape[-1]))
    Q = np.reshape(q, (-1, shape[-1]))
    out = []
    for prow, qrow in zip(P, Q):
        for row in (prow, qrow):
            if min(row) < 0:
                raise ValueError("negative entry")
            if abs(math.fsum(row) - 1.0) > 1e-6:
                raise ValueError("not a distribution")
        total = 0.0
        for pi, qi in zip(prow, qrow):
            if pi > 0:
                total += pi * math.log(pi / max(qi, eps))
        out.append(total)
    if len(shape) == 1:
        return out[0]
    return np.array(out).reshape(shape[:-1])
