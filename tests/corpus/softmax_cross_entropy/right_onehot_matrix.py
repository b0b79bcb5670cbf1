# why: builds a one-hot matrix with np.eye and uses logaddexp.reduce for the log-sum-exp
import numpy as np


def softmax_cross_entropy(logits, labels):
    n, c = logits.shape
    onehot = np.eye(c)[labels]
    lse = np.logaddexp.reduce(logits, axis=1, keepdims=True)
    log_p = logits - lse
    loss = -(onehot * log_p).sum() / n
    grad = (np.exp(log_p) - onehot) / n
    return loss, grad
