# why: one row at a time with math.exp/math.log around the row maximum
import math

import numpy as np


def softmax_cross_entropy(logits, labels):
    n, c = logits.shape
    grad = np.empty((n, c))
    total = 0.0
    for i in range(n):
        row = [float(v) for v in logits[i]]
        m = max(row)
        exps = [math.exp(v - m) for v in row]
        s = sum(exps)
        y = int(labels[i])
        total += m + math.log(s) - row[y]
        for j in range(c):
            grad[i, j] = (exps[j] / s - (1.0 if j == y else 0.0)) / n
    return total / n, grad
