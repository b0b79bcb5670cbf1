# expect: off by one
# why: checks draft i against p[i + 1]
import numpy as np


def speculative_step(draft_tokens, q, p, u, sample):
    K = len(draft_tokens)
    out = []
    for i in range(K):
        x = int(draft_tokens[i])
        if u[i] <= p[i + 1, x] / q[i, x]:
            out.append(x)
        else:
            resid = np.maximum(p[i + 1] - q[i], 0.0)
            resid = resid / resid.sum()
            out.append(int(sample(resid)))
            return out
    out.append(int(sample(p[K])))
    return out
