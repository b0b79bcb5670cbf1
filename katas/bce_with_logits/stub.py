import numpy as np


def bce_with_logits(y_true, logits) -> float:
    """Mean binary cross-entropy of sigmoid(logits) against y_true, computed exactly.

    y_true: array of labels in [0, 1] (hard 0/1 or soft).
    logits: array of raw scores z (any real value), same shape as y_true.

    Returns a float: the mean over all entries of
        -(y * log(sigmoid(z)) + (1 - y) * log(1 - sigmoid(z))),
    finite and exact for any finite logits (no clipping).
    Must not modify its inputs. Forbidden: torch.
    """
    raise NotImplementedError
