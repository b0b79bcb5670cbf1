# why: textbook m̂ / v̂ form with explicit hats, state kept in dicts keyed by index
import numpy as np


class AdamW:
    def __init__(self, params, lr=1e-3, betas=(0.9, 0.999), eps=1e-8, weight_decay=1e-2):
        if lr < 0 or eps < 0 or weight_decay < 0:
            raise ValueError("bad hyper-parameter")
        for b in betas:
            if not 0 <= b < 1:
                raise ValueError("bad beta")
        self.params = params
        self.lr, self.betas, self.eps, self.wd = lr, betas, eps, weight_decay
        self.state = {i: {"m": np.zeros(p.shape), "v": np.zeros(p.shape)} for i, p in enumerate(params)}
        self.steps = 0

    def step(self, grads):
        if len(grads) != len(self.params) or any(g.shape != p.shape for g, p in zip(grads, self.params)):
            raise ValueError("grads do not match params")
        self.steps += 1
        b1, b2 = self.betas
        for i, p in enumerate(self.params):
            g = grads[i]
            s = self.state[i]
            p[...] = p * (1 - self.lr * self.wd)
            s["m"] = b1 * s["m"] + (1 - b1) * g
            s["v"] = b2 * s["v"] + (1 - b2) * g ** 2
            m_hat = s["m"] / (1 - b1 ** self.steps)
            v_hat = s["v"] / (1 - b2 ** self.steps)
            p[...] = p - self.lr * m_hat / (np.sqrt(v_hat) + self.eps)
