# expect: sample was called \d+ times in one step
# why: draws a candidate with sample at every position and keeps the last
import numpy as np


def speculative_step(draft_tokens, q, p, u, sample):
    K = len(draft_tokens)
    out = []
    for i in range(K):
        x = int(draft_tokens[i])
        r = np.maximum(p[i] - q[i], 0.0)
        fallback = int(sample(r / r.sum())) if r.sum() > 0 else x
        if u[i] <= p[i, x] / q[i, x]:
            out.append(x)
        else:
            return out + [fallback]
    return out + [int(sample(p[K]))]
