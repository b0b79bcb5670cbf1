# expect: ✗ soft targets
# why: reads only the argmax class of y_true: right for one-hot targets, wrong for soft ones
import numpy as np


def categorical_cross_entropy(y_true, y_pred, eps=1e-12):
    p = np.clip(y_pred, eps, 1 - eps)
    labels = np.argmax(y_true, axis=1)
    return -np.log(p[np.arange(len(labels)), labels])
