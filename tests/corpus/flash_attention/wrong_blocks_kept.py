# expect: peak \d+ MiB.*every score block kept
# why: two passes: keeps every score block to find the true max first
import numpy as np


def flash_attention(q, k, v, block_size=64, causal=False):
    n = q.shape[0]
    blocks = []
    for s0 in range(0, k.shape[0], block_size):
        s = q @ k[s0:s0 + block_size].T / np.sqrt(q.shape[1])
        if causal:
            cols = np.arange(s0, s0 + s.shape[1])
            s = np.where(cols[None, :] <= np.arange(n)[:, None], s, -np.inf)
        blocks.append(s)
    m = np.max([b.max(axis=1) for b in blocks], axis=0)
    l = np.zeros(n)
    o = np.zeros((n, v.shape[1]))
    for i, s in enumerate(blocks):
        p = np.exp(s - m[:, None])
        l += p.sum(axis=1)
        o += p @ v[i * block_size:(i + 1) * block_size]
    return o / l[:, None], m + np.log(l)
