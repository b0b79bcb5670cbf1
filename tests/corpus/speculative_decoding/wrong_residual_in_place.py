# expect: modified its input
# why: builds the residual in place in p
import numpy as np


def speculative_step(draft_tokens, q, p, u, sample):
    accepted = []
    for i, x in enumerate(draft_tokens.tolist()):
        if u[i] * q[i, x] <= p[i, x]:
            accepted.append(x)
            continue
        p[i] -= q[i]
        np.clip(p[i], 0.0, None, out=p[i])
        p[i] /= p[i].sum()
        return accepted + [int(sample(p[i]))]
    return accepted + [int(sample(p[-1]))]
