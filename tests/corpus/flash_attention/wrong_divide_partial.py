# expect: partial sum
# why: divides each block's contribution by the running sum at that time, never corrected
import numpy as np


def flash_attention(q, k, v, block_size=64, causal=False):
    n, d = q.shape
    m = np.full(n, -np.inf)
    l = np.zeros(n)
    out = np.zeros((n, v.shape[1]))
    for s0 in range(0, len(k), block_size):
        s = q @ k[s0:s0 + block_size].T / np.sqrt(d)
        if causal:
            s = np.where(np.arange(s0, s0 + s.shape[1]) <= np.arange(n)[:, None], s, -np.inf)
        new_m = np.maximum(m, s.max(1))
        p = np.exp(s - new_m[:, None])
        l = l * np.exp(m - new_m) + p.sum(1)
        out = out + (p @ v[s0:s0 + block_size]) / l[:, None]
        m = new_m
    return out, m + np.log(l)
