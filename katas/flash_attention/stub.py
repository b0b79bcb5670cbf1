import numpy as np


def flash_attention(q: np.ndarray, k: np.ndarray, v: np.ndarray, block_size: int = 64,
                    causal: bool = False) -> tuple[np.ndarray, np.ndarray]:
    """Exact attention softmax(q kᵀ / √d) v computed over blocks of keys, never forming the
    N × M score matrix.

    q (N, d), k (M, d), v (M, dv), float64. Keys and values are read in blocks of
    `block_size` consecutive rows (the last block may be shorter; block_size may exceed M).
    causal=True (only with N == M): query i attends to keys j <= i.

    Returns (out, lse): out (N, dv) float64 and lse (N,) float64, the natural log of
    Σ_j exp(q_i·k_j / √d) over the keys query i may attend to.
    No torch, no scipy. Do not modify the inputs.
    """
    raise NotImplementedError
