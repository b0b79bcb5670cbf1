# why: per-sample dot product written with einsum, clipping via np.maximum/np.minimum
import numpy as np


def categorical_cross_entropy(y_true, y_pred, eps=1e-12):
    p = np.minimum(np.maximum(y_pred, eps), 1.0 - eps)
    return -np.einsum("nc,nc->n", y_true, np.log(p))
