# why: a while loop with early exit; the residual as p minus the overlap min(p, q)
import numpy as np


def _residual(target, draft):
    overlap = np.minimum(target, draft)
    r = target - overlap
    return r / r.sum()


def speculative_step(draft_tokens, q, p, u, sample):
    result = []
    i = 0
    while i < len(draft_tokens):
        tok = int(draft_tokens[i])
        ratio = p[i][tok] / q[i][tok]
        if not (u[i] <= min(1.0, ratio)):
            result.append(int(sample(_residual(p[i], q[i]))))
            return result
        result.append(tok)
        i += 1
    result.append(int(sample(p[i])))
    return result
