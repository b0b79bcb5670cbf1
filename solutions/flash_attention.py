import math

import numpy as np


def flash_attention(q: np.ndarray, k: np.ndarray, v: np.ndarray, block_size: int = 64,
                    causal: bool = False) -> tuple[np.ndarray, np.ndarray]:
    """Exact attention softmax(q kᵀ / √d) v, streaming over blocks of keys (FlashAttention's
    online softmax): only an (N, block_size) score block exists at any time.

    Returns (out (N, dv), lse (N,)), lse_i = log Σ_j exp(q_i·k_j / √d) over the allowed keys.
    causal (N == M): query i sees keys j <= i.
    """
    n, d = q.shape
    m_keys = k.shape[0]
    scale = 1.0 / math.sqrt(d)
    row_max = np.full(n, -np.inf)             # running max m of each row's scores so far
    row_sum = np.zeros(n)                     # running Σ exp(s - m)
    acc = np.zeros((n, v.shape[1]))           # running Σ exp(s - m) v, unnormalised
    queries = np.arange(n)[:, None]
    for start in range(0, m_keys, block_size):
        stop = min(start + block_size, m_keys)
        scores = (q @ k[start:stop].T) * scale
        if causal:
            # global key indices: a block-local index would compare the wrong positions
            scores = np.where(np.arange(start, stop)[None, :] <= queries, scores, -np.inf)
        new_max = np.maximum(row_max, scores.max(axis=1))
        # Under the causal mask key 0 is visible to every query, so after the first block
        # new_max is finite; before it, row_max = -inf and exp(-inf - finite) = 0.
        rescale = np.exp(row_max - new_max)
        weights = np.exp(scores - new_max[:, None])
        row_sum = rescale * row_sum + weights.sum(axis=1)
        acc = rescale[:, None] * acc + weights @ v[start:stop]
        row_max = new_max
    return acc / row_sum[:, None], row_max + np.log(row_sum)
