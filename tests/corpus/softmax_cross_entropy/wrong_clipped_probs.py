# expect: the loss is wrong
# why: clips the softmax before the log: finite, but a loss of 2000 is capped at -log(1e-12) = 27.6
import numpy as np


def softmax_cross_entropy(logits, labels):
    n = logits.shape[0]
    z = logits - logits.max(axis=1, keepdims=True)
    p = np.exp(z) / np.exp(z).sum(axis=1, keepdims=True)
    loss = -np.mean(np.log(np.clip(p[np.arange(n), labels], 1e-12, 1.0)))
    grad = p.copy()
    grad[np.arange(n), labels] -= 1
    return float(loss), grad / n
