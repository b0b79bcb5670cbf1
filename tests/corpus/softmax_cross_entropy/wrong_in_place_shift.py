# expect: modified its input
# why: subtracts the row max from the caller's logits in place
import numpy as np


def softmax_cross_entropy(logits, labels):
    n = logits.shape[0]
    logits -= logits.max(axis=1, keepdims=True)
    log_p = logits - np.log(np.exp(logits).sum(axis=1, keepdims=True))
    loss = -log_p[np.arange(n), labels].mean()
    grad = np.exp(log_p)
    grad[np.arange(n), labels] -= 1
    return float(loss), grad / n
