import numpy as np


def speculative_step(draft_tokens, q, p, u, sample) -> list[int]:
    """One verification step of speculative sampling (Leviathan et al. 2023, Algorithm 1).

    draft_tokens (K,) int array, K >= 1: the draft model's proposals.
    q (K, V) float64: q[i] is the draft distribution draft_tokens[i] was drawn from.
    p (K+1, V) float64: target distributions; p[i] for draft position i, p[K] after all K.
    u (K,) floats in [0, 1): one uniform per draft position.
    sample(dist) -> int: draws one token from a float64 array (V,) that sums to 1.

    Returns the accepted draft tokens followed by exactly one token drawn with `sample`,
    as a list of Python ints. Call `sample` exactly once. Do not modify any input.
    """
    raise NotImplementedError
