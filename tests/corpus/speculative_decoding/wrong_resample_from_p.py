# expect: sample from the target row p\[i\]
# why: after a rejection it resamples from p[i] instead of the residual
import numpy as np


def speculative_step(draft_tokens, q, p, u, sample):
    K = len(draft_tokens)
    out = []
    for i in range(K):
        x = int(draft_tokens[i])
        if u[i] <= p[i, x] / q[i, x]:
            out.append(x)
        else:
            resid = p[i].copy()
            resid = resid / resid.sum()
            out.append(int(sample(resid)))
            return out
    out.append(int(sample(p[K])))
    return out
