import math

import numpy as np


class AdamW:
    """AdamW (Loshchilov & Hutter), exactly as ``torch.optim.AdamW`` with amsgrad and maximize off.

    ``params`` are float64 arrays updated in place: after every ``step`` the very arrays
    passed here hold the new values.
    """

    def __init__(self, params: list[np.ndarray], lr=1e-3, betas=(0.9, 0.999), eps=1e-8, weight_decay=1e-2):
        beta1, beta2 = betas
        if lr < 0:
            raise ValueError(f"invalid learning rate {lr} (must be >= 0)")
        if eps < 0:
            raise ValueError(f"invalid eps {eps} (must be >= 0)")
        if not (0.0 <= beta1 < 1.0 and 0.0 <= beta2 < 1.0):
            raise ValueError(f"invalid betas {betas} (each must be in [0, 1))")
        if weight_decay < 0:
            raise ValueError(f"invalid weight_decay {weight_decay} (must be >= 0)")
        self.params = list(params)  # the caller's own arrays: never rebound, only written into
        self.lr, self.beta1, self.beta2, self.eps, self.weight_decay = lr, beta1, beta2, eps, weight_decay
        self.t = 0  # one counter for the optimiser, not one per parameter
        self.m = [np.zeros_like(p, dtype=np.float64) for p in self.params]
        self.v = [np.zeros_like(p, dtype=np.float64) for p in self.params]

    def step(self, grads: list[np.ndarray]) -> None:
        if len(grads) != len(self.params):
            raise ValueError(f"expected {len(self.params)} gradients, got {len(grads)}")
        for i, (p, g) in enumerate(zip(self.params, grads)):
            if np.shape(g) != p.shape:
                raise ValueError(f"gradient {i} has shape {np.shape(g)}, parameter {i} has {p.shape}")
        self.t += 1
        bias1 = 1.0 - self.beta1 ** self.t
        bias2 = 1.0 - self.beta2 ** self.t
        step_size = self.lr / bias1
        for p, g, m, v in zip(self.params, grads, self.m, self.v):
            # Decoupled weight decay: shrink the parameter itself, before the Adam update,
            # and never through the gradient (that would be Adam + L2).
            p *= 1.0 - self.lr * self.weight_decay
            m *= self.beta1
            m += (1.0 - self.beta1) * g
            v *= self.beta2
            v += (1.0 - self.beta2) * g * g
            # eps is added after the bias correction of sqrt(v), outside the root (torch's order).
            denom = np.sqrt(v) / math.sqrt(bias2) + self.eps
            p -= step_size * m / denom
