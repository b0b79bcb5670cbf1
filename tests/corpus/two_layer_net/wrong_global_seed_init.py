# expect: used the `np.random`
# why: seeds numpy's global generator and draws the weights from it: reproducible, but it reseeds a generator that belongs to the caller instead of using np.random.default_rng(seed)
import numpy as np


def sigmoid(z):
    return 1.0 / (1.0 + np.exp(-z))


class TwoLayerNet:
    def __init__(self, input_size, hidden_size, output_size, seed=0):
        np.random.seed(seed)
        self.W1 = np.random.randn(input_size, hidden_size) * 0.5
        self.b1 = np.zeros((1, hidden_size))
        self.W2 = np.random.randn(hidden_size, output_size) * 0.5
        self.b2 = np.zeros((1, output_size))

    def forward(self, X):
        self.A1 = sigmoid(X @ self.W1 + self.b1)
        self.A2 = sigmoid(self.A1 @ self.W2 + self.b2)
        return self.A2

    def loss(self, X, y):
        a = self.forward(X)
        return float(-np.mean(y * np.log(a) + (1 - y) * np.log(1 - a)))

    def gradients(self, X, y):
        a2 = self.forward(X)
        dz2 = (a2 - y) / y.size
        dz1 = (dz2 @ self.W2.T) * self.A1 * (1 - self.A1)
        return {"W1": X.T @ dz1, "b1": dz1.sum(0, keepdims=True),
                "W2": self.A1.T @ dz2, "b2": dz2.sum(0, keepdims=True)}

    def train(self, X, y, epochs, lr):
        hist = []
        for _ in range(epochs):
            hist.append(self.loss(X, y))
            g = self.gradients(X, y)
            for k in ("W1", "b1", "W2", "b2"):
                setattr(self, k, getattr(self, k) - lr * g[k])
        return hist
