# expect: modified its input
# why: pre-scales q in place (q *= 1/sqrt(d)), changing the caller's array
import numpy as np


def flash_attention(q, k, v, block_size=64, causal=False):
    n, d = q.shape
    q *= 1.0 / np.sqrt(d)
    m = np.full(n, -np.inf)
    l = np.zeros(n)
    o = np.zeros((n, v.shape[1]))
    for s0 in range(0, k.shape[0], block_size):
        s = q @ k[s0:s0 + block_size].T
        if causal:
            s = np.where(np.arange(s0, s0 + s.shape[1])[None, :] <= np.arange(n)[:, None], s, -np.inf)
        m_new = np.maximum(m, s.max(axis=1))
        a = np.exp(m - m_new)
        p = np.exp(s - m_new[:, None])
        l = a * l + p.sum(axis=1)
        o = a[:, None] * o + p @ v[s0:s0 + block_size]
        m = m_new
    return o / l[:, None], m + np.log(l)
