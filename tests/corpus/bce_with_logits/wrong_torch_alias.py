# expect: `torch.*` is forbidden
# why: delegates to torch (forbidden here) behind an innocent-looking alias
import numpy as np
import torch as backend


def bce_with_logits(y_true, logits):
    z = backend.as_tensor(np.asarray(logits, dtype=float))
    y = backend.as_tensor(np.asarray(y_true, dtype=float))
    return backend.nn.functional.binary_cross_entropy_with_logits(z, y).item()
