# why: correct, written differently: Glorot-uniform weights from default_rng(seed), backward pass through cached activations, in-place updates in train
import numpy as np


class TwoLayerNet:
    def __init__(self, input_size, hidden_size, output_size, seed=0):
        rng = np.random.default_rng(seed)
        lim1 = np.sqrt(6.0 / (input_size + hidden_size))
        lim2 = np.sqrt(6.0 / (hidden_size + output_size))
        self.W1 = rng.uniform(-lim1, lim1, size=(input_size, hidden_size))
        self.b1 = np.zeros((1, hidden_size))
        self.W2 = rng.uniform(-lim2, lim2, size=(hidden_size, output_size))
        self.b2 = np.zeros((1, output_size))

    @staticmethod
    def _sig(z):
        return 0.5 * (1.0 + np.tanh(0.5 * z))

    def forward(self, X):
        return self._sig(self._sig(X @ self.W1 + self.b1) @ self.W2 + self.b2)

    def loss(self, X, y):
        z = self._sig(X @ self.W1 + self.b1) @ self.W2 + self.b2
        return float(np.mean(np.logaddexp(0.0, z) - y * z))

    def gradients(self, X, y):
        h = self._sig(X @ self.W1 + self.b1)
        out = self._sig(h @ self.W2 + self.b2)
        d2 = (out - y) / y.size
        d1 = (d2 @ self.W2.T) * h * (1.0 - h)
        return {"W1": X.T @ d1, "b1": d1.sum(axis=0, keepdims=True),
                "W2": h.T @ d2, "b2": d2.sum(axis=0, keepdims=True)}

    def train(self, X, y, epochs, lr):
        history = []
        for _ in range(epochs):
            history.append(self.loss(X, y))
            grads = self.gradients(X, y)
            for name, g in grads.items():
                getattr(self, name)[...] -= lr * g
        return history
