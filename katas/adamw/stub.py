import numpy as np


class AdamW:
    """AdamW, exactly as ``torch.optim.AdamW`` (amsgrad and maximize off), in numpy.

    ``params``: float64 arrays of any shape (0-d included). ``step`` updates them **in place**:
    afterwards the very arrays passed here hold the new values.

    Raises ValueError in ``__init__`` for lr < 0, eps < 0, a beta outside [0, 1) or
    weight_decay < 0, and in ``step`` for a grads list of another length or a gradient of
    another shape than its parameter.
    """

    def __init__(self, params: list[np.ndarray], lr=1e-3, betas=(0.9, 0.999), eps=1e-8, weight_decay=1e-2):
        raise NotImplementedError

    def step(self, grads: list[np.ndarray]) -> None:
        """One optimisation step with ``grads[i]`` the gradient of ``params[i]`` (not modified)."""
        raise NotImplementedError
