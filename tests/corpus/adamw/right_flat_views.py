# why: works on flat views of every parameter (reshape(-1) shares memory), np.multiply with out=
import math
import numpy as np


class AdamW:
    def __init__(self, params, lr=1e-3, betas=(0.9, 0.999), eps=1e-8, weight_decay=1e-2):
        beta1, beta2 = betas
        checks = [lr >= 0, eps >= 0, 0 <= beta1 < 1, 0 <= beta2 < 1, weight_decay >= 0]
        if not all(checks):
            raise ValueError(f"invalid AdamW settings: {lr=}, {betas=}, {eps=}, {weight_decay=}")
        self.ps = list(params)
        self.hp = (lr, beta1, beta2, eps, weight_decay)
        self.mv = [(np.zeros(p.size), np.zeros(p.size)) for p in self.ps]
        self.t = 0

    def step(self, grads):
        if len(grads) != len(self.ps):
            raise ValueError("one gradient per parameter")
        for p, g in zip(self.ps, grads):
            if np.shape(g) != np.shape(p):
                raise ValueError("shape mismatch")
        lr, b1, b2, eps, wd = self.hp
        self.t += 1
        for p, g, (m, v) in zip(self.ps, grads, self.mv):
            flat = p.reshape(-1)
            gf = np.asarray(g).reshape(-1)
            np.multiply(flat, 1 - lr * wd, out=flat)
            m[:] = b1 * m + (1 - b1) * gf
            v[:] = b2 * v + (1 - b2) * gf * gf
            denom = np.sqrt(v) / math.sqrt(1 - b2 ** self.t) + eps
            flat -= lr / (1 - b1 ** self.t) * m / denom
