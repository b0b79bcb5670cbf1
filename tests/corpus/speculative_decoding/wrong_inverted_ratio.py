# expect: inverted
# why: accepts with probability q/p instead of p/q
import numpy as np


def speculative_step(draft_tokens, q, p, u, sample):
    K = len(draft_tokens)
    out = []
    for i in range(K):
        x = int(draft_tokens[i])
        if u[i] <= q[i, x] / p[i, x]:
            out.append(x)
        else:
            resid = np.maximum(p[i] - q[i], 0.0)
            resid = resid / resid.sum()
            out.append(int(sample(resid)))
            return out
    out.append(int(sample(p[K])))
    return out
