import numpy as np


def bce_with_logits(y_true, logits) -> float:
    """Mean BCE of sigmoid(logits) against y_true, exact for any finite logits."""
    y = np.asarray(y_true, dtype=np.float64)
    z = np.asarray(logits, dtype=np.float64)
    if y.shape != z.shape:
        raise ValueError(f"y_true and logits must have the same shape, got {y.shape} and {z.shape}")
    # With log(sigmoid(z)) = -softplus(-z) and log(1 - sigmoid(z)) = -z - softplus(-z):
    #     loss = (1 - y) * z + softplus(-z) = z - z*y + log(1 + exp(-z)).
    # exp(-z) overflows for z << 0, so split softplus(-z) = max(-z, 0) + log1p(exp(-|z|)):
    #     loss = max(z, 0) - z*y + log1p(exp(-|z|)).
    # exp now only sees values <= 0, and no probability is ever formed, so nothing
    # is clipped: label 1 with logit -1000 costs exactly 1000.
    loss = np.maximum(z, 0.0) - z * y + np.log1p(np.exp(-np.abs(z)))
    return float(np.mean(loss))
