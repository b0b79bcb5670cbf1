import numpy as np


def speculative_step(draft_tokens, q, p, u, sample) -> list[int]:
    """One verification step of speculative sampling (Leviathan et al. 2023, Algorithm 1).

    draft_tokens (K,), q (K, V): the draft distributions they were drawn from, p (K+1, V): the
    target distributions, u (K,): uniforms in [0, 1), sample(dist) -> int draws from dist.
    Returns the accepted drafts followed by exactly one token drawn by `sample`.
    """
    accepted: list[int] = []
    for i, token in enumerate(draft_tokens):
        x = int(token)
        if u[i] <= p[i, x] / q[i, x]:  # non-strict: u == p/q accepts, a ratio >= 1 always does
            accepted.append(x)
            continue
        # Rejected: draw from the residual max(p - q, 0), renormalised, which corrects for the
        # mass q over-proposed, so the emitted token is distributed exactly as p[i].
        residual = np.maximum(p[i] - q[i], 0.0)
        return accepted + [int(sample(residual / residual.sum()))]
    return accepted + [int(sample(p[len(draft_tokens)]))]  # all K accepted: the bonus token, from p[K]
