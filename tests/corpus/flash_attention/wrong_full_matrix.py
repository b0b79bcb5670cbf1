# expect: peak \d+ MiB.*score matrix
# why: computes the whole N x M score matrix (right numbers, O(N·M) memory)
import numpy as np


def flash_attention(q, k, v, block_size=64, causal=False):
    s = q @ k.T / np.sqrt(q.shape[1])
    if causal:
        s = np.where(np.tril(np.ones(s.shape, dtype=bool)), s, -np.inf)
    m = s.max(axis=1, keepdims=True)
    e = np.exp(s - m)
    l = e.sum(axis=1, keepdims=True)
    return (e / l) @ v, (m + np.log(l))[:, 0]
