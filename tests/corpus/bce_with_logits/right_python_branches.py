# why: scalar loop with an explicit branch on the sign of z, so exp only sees non-positive arguments
import math

import numpy as np


def bce_with_logits(y_true, logits):
    ys = np.ravel(y_true).tolist()
    zs = np.ravel(logits).tolist()
    total = 0.0
    for y, z in zip(ys, zs):
        if z >= 0:
            total += (1.0 - y) * z + math.log1p(math.exp(-z))
        else:
            total += -y * z + math.log1p(math.exp(z))
    return total / len(zs)
