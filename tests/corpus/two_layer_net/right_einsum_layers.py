# why: einsum for every product, the loss from logits via logaddexp, the chain rule through dL/dA2 explicitly
import numpy as np


class TwoLayerNet:
    def __init__(self, input_size, hidden_size, output_size, seed=0):
        rng = np.random.default_rng(seed)
        lim1 = np.sqrt(6.0 / (input_size + hidden_size))
        lim2 = np.sqrt(6.0 / (hidden_size + output_size))
        self.W1 = rng.uniform(-lim1, lim1, (input_size, hidden_size))
        self.b1 = np.zeros((1, hidden_size))
        self.W2 = rng.uniform(-lim2, lim2, (hidden_size, output_size))
        self.b2 = np.zeros((1, output_size))

    @staticmethod
    def _sig(z):
        return np.exp(-np.logaddexp(0.0, -z))

    def _layers(self, X):
        z1 = np.einsum("mi,ih->mh", X, self.W1) + self.b1
        a1 = self._sig(z1)
        z2 = np.einsum("mh,ho->mo", a1, self.W2) + self.b2
        return a1, z2

    def forward(self, X):
        return self._sig(self._layers(X)[1])

    def loss(self, X, y):
        z2 = self._layers(X)[1]
        return float(np.mean(np.logaddexp(0.0, z2) - y * z2))

    def gradients(self, X, y):
        a1, z2 = self._layers(X)
        a2 = self._sig(z2)
        dA2 = (a2 - y) / (a2 * (1 - a2)) / y.size       # dL/dA2
        dz2 = dA2 * a2 * (1 - a2)
        dz1 = np.einsum("mo,ho->mh", dz2, self.W2) * a1 * (1 - a1)
        return {"W1": np.einsum("mi,mh->ih", X, dz1), "b1": dz1.sum(axis=0)[None, :],
                "W2": np.einsum("mh,mo->ho", a1, dz2), "b2": dz2.sum(axis=0)[None, :]}

    def train(self, X, y, epochs, lr):
        out = []
        for _ in range(epochs):
            out.append(self.loss(X, y))
            g = self.gradients(X, y)
            self.W1, self.b1 = self.W1 - lr * g["W1"], self.b1 - lr * g["b1"]
            self.W2, self.b2 = self.W2 - lr * g["W2"], self.b2 - lr * g["b2"]
        return out
