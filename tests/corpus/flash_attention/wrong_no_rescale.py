# expect: not rescaled
# why: the running sum is rescaled when the max grows but the output accumulator is not
import numpy as np


def flash_attention(q, k, v, block_size=64, causal=False):
    n, d = q.shape
    m = np.full(n, -np.inf)
    l = np.zeros(n)
    o = np.zeros((n, v.shape[1]))
    idx = np.arange(n)
    for s0 in range(0, k.shape[0], block_size):
        kb, vb = k[s0:s0 + block_size], v[s0:s0 + block_size]
        s = q @ kb.T / np.sqrt(d)
        if causal:
            s[np.arange(s0, s0 + len(kb))[None, :] > idx[:, None]] = -np.inf
        m_new = np.maximum(m, s.max(axis=1))
        p = np.exp(s - m_new[:, None])
        l = l * np.exp(m - m_new) + p.sum(axis=1)
        o = o + p @ vb
        m = m_new
    return o / l[:, None], m + np.log(l)
