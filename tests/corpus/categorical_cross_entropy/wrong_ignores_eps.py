# expect: ✗ uses the eps argument
# why: hard-codes the clipping constant instead of using the eps argument
import numpy as np


def categorical_cross_entropy(y_true, y_pred, eps=1e-12):
    p = np.clip(y_pred, 1e-12, 1 - 1e-12)
    return -np.sum(y_true * np.log(p), axis=1)
