# expect: raised AssertionError
# why: seed trap: validates with assert, which raises AssertionError (and vanishes under python -O)
import numpy as np


def kl_divergence(p, q, eps=1e-10):
    assert p.shape == q.shape, "shape mismatch"
    assert np.all(p >= 0) and np.all(q >= 0), "probabilities must be non-negative"
    assert np.allclose(p.sum(-1), 1) and np.allclose(q.sum(-1), 1), "must sum to 1"
    q = np.clip(q, eps, None)
    terms = np.where(p > 0, p * np.log(np.where(p > 0, p, 1.0) / q), 0.0)
    kl = terms.sum(axis=-1)
    return float(kl) if p.ndim == 1 else kl
