# expect: not renormalised
# why: passes max(p - q, 0) to sample without dividing by its sum
import numpy as np


def speculative_step(draft_tokens, q, p, u, sample):
    K = len(draft_tokens)
    out = []
    for i in range(K):
        x = int(draft_tokens[i])
        if u[i] <= p[i, x] / q[i, x]:
            out.append(x)
        else:
            resid = np.maximum(p[i] - q[i], 0.0)
            pass
            out.append(int(sample(resid)))
            return out
    out.append(int(sample(p[K])))
    return out
