# expect: ✗ logits of ±1e3
# why: exponentiates the raw logits: exp(1000) overflows to inf and the loss becomes nan
import numpy as np


def softmax_cross_entropy(logits, labels):
    n = logits.shape[0]
    e = np.exp(logits)
    p = e / e.sum(axis=1, keepdims=True)
    loss = -np.mean(np.log(p[np.arange(n), labels]))
    grad = p.copy()
    grad[np.arange(n), labels] -= 1
    return float(loss), grad / n
