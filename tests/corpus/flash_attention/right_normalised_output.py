# why: FlashAttention-1 style: keeps the output normalised after every block (rescaled by l_old/l_new)
import math

import numpy as np


def flash_attention(q, k, v, block_size=64, causal=False):
    n, d = q.shape
    m_run = np.full((n, 1), -np.inf)
    l_run = np.zeros((n, 1))
    out = np.zeros((n, v.shape[1]))
    qi = np.arange(n).reshape(-1, 1)
    for j0 in range(0, k.shape[0], block_size):
        j1 = min(j0 + block_size, k.shape[0])
        s = np.einsum("nd,md->nm", q, k[j0:j1]) / math.sqrt(d)
        if causal:
            s[np.arange(j0, j1).reshape(1, -1) > qi] = -np.inf
        m_blk = s.max(axis=1, keepdims=True)
        m_new = np.maximum(m_run, m_blk)
        p = np.exp(s - m_new)
        l_new = np.exp(m_run - m_new) * l_run + p.sum(axis=1, keepdims=True)
        out = (l_run * np.exp(m_run - m_new) * out + p @ v[j0:j1]) / l_new
        m_run, l_run = m_new, l_new
    return out, (m_run + np.log(l_run)).ravel()
