# expect: ✗ logits of ±1e3
# why: shifts by the max but then takes log(softmax): the true class underflows to 0 and log gives -inf
import numpy as np


def softmax_cross_entropy(logits, labels):
    n = logits.shape[0]
    z = logits - logits.max(axis=1, keepdims=True)
    p = np.exp(z) / np.exp(z).sum(axis=1, keepdims=True)
    loss = -np.mean(np.log(p[np.arange(n), labels]))
    grad = p.copy()
    grad[np.arange(n), labels] -= 1
    return float(loss), grad / n
