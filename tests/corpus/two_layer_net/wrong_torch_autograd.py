# expect: torch.*forbidden
# why: lets torch autograd compute the gradients (torch is forbidden: numpy only)
import numpy as np
import torch as T


class TwoLayerNet:
    def __init__(self, input_size, hidden_size, output_size, seed=0):
        rng = np.random.default_rng(seed)
        self.W1 = rng.normal(0, 0.5, (input_size, hidden_size))
        self.b1 = np.zeros((1, hidden_size))
        self.W2 = rng.normal(0, 0.5, (hidden_size, output_size))
        self.b2 = np.zeros((1, output_size))

    def _run(self, X, y=None):
        p = {k: T.tensor(getattr(self, k), requires_grad=True) for k in ("W1", "b1", "W2", "b2")}
        a2 = T.sigmoid(T.sigmoid(T.tensor(X) @ p["W1"] + p["b1"]) @ p["W2"] + p["b2"])
        if y is None:
            return a2.detach().numpy()
        loss = T.nn.functional.binary_cross_entropy(a2, T.tensor(y))
        loss.backward()
        return loss.item(), {k: v.grad.numpy() for k, v in p.items()}

    def forward(self, X):
        return self._run(X)

    def loss(self, X, y):
        return self._run(X, y)[0]

    def gradients(self, X, y):
        return self._run(X, y)[1]

    def train(self, X, y, epochs, lr):
        hist = []
        for _ in range(epochs):
            loss, g = self._run(X, y)
            hist.append(loss)
            for k in g:
                setattr(self, k, getattr(self, k) - lr * g[k])
        return hist
