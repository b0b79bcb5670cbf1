import numpy as np


def softmax_cross_entropy(logits: np.ndarray, labels: np.ndarray) -> tuple[float, np.ndarray]:
    """Mean softmax cross-entropy and its gradient with respect to the logits.

    logits: (n, C) float64 raw scores.
    labels: (n,) integer class indices in [0, C).
    Returns: (loss, grad) with loss a float and grad of shape (n, C).
    """
    z = np.asarray(logits, dtype=np.float64)
    labels = np.asarray(labels)
    n = z.shape[0]
    rows = np.arange(n)

    # Shift by the row maximum (a new array: the input is untouched). Every exponent is
    # then <= 0, so nothing overflows, and the sum is >= 1, so its log is finite.
    shifted = z - z.max(axis=1, keepdims=True)
    exp = np.exp(shifted)
    sum_exp = exp.sum(axis=1, keepdims=True)
    # log-softmax, never log(softmax): softmax may underflow to 0 for a far-behind class.
    log_probs = shifted - np.log(sum_exp)
    loss = -log_probs[rows, labels].mean()

    # d(mean loss)/dz = (softmax - one_hot) / n
    grad = exp / sum_exp
    grad[rows, labels] -= 1.0
    grad /= n
    return float(loss), grad
