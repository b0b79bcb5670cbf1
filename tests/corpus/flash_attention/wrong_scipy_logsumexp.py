# expect: forbidden.*scipy
# why: uses scipy's logsumexp for the per-block statistics
import numpy as np
from scipy.special import logsumexp as lse_fn


def flash_attention(q, k, v, block_size=64, causal=False):
    n, d = q.shape
    lse = np.full(n, -np.inf)
    out = np.zeros((n, v.shape[1]))
    for s0 in range(0, len(k), block_size):
        s = q @ k[s0:s0 + block_size].T / np.sqrt(d)
        if causal:
            s = np.where(np.arange(s0, s0 + s.shape[1]) <= np.arange(n)[:, None], s, -np.inf)
        b = lse_fn(s, axis=1)
        new = np.logaddexp(lse, b)
        out = out * np.exp(lse - new)[:, None] + np.exp(s - new[:, None]) @ v[s0:s0 + block_size]
        lse = new
    return out, lse
