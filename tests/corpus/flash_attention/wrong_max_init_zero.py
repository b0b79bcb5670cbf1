# expect: starts at 0|nan
# why: the running maximum starts at 0, so rows of scores around -1e3 give 0/0
import numpy as np


def flash_attention(q, k, v, block_size=64, causal=False):
    n, d = q.shape
    m = np.zeros(n)
    l = np.zeros(n)
    o = np.zeros((n, v.shape[1]))
    for s0 in range(0, k.shape[0], block_size):
        kb, vb = k[s0:s0 + block_size], v[s0:s0 + block_size]
        s = q @ kb.T / np.sqrt(d)
        if causal:
            s = np.where(np.arange(s0, s0 + len(kb))[None, :] <= np.arange(n)[:, None], s, -np.inf)
        m_new = np.maximum(m, s.max(axis=1))
        a = np.exp(m - m_new)
        p = np.exp(s - m_new[:, None])
        l = a * l + p.sum(axis=1)
        o = a[:, None] * o + p @ vb
        m = m_new
    return o / l[:, None], m + np.log(l)
