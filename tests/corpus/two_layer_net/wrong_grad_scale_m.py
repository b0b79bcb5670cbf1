# expect: × the right one
# why: seed trap: divides the output gradient by m although the loss averages over m * out entries (out times too large when out > 1)
import numpy as np


def sigmoid(z):
    return 1.0 / (1.0 + np.exp(-z))


class TwoLayerNet:
    def __init__(self, input_size, hidden_size, output_size, seed=0):
        rng = np.random.default_rng(seed)
        self.W1 = rng.normal(0, 0.5, (input_size, hidden_size))
        self.b1 = np.zeros((1, hidden_size))
        self.W2 = rng.normal(0, 0.5, (hidden_size, output_size))
        self.b2 = np.zeros((1, output_size))

    def forward(self, X):
        self.A1 = sigmoid(X @ self.W1 + self.b1)
        self.A2 = sigmoid(self.A1 @ self.W2 + self.b2)
        return self.A2

    def loss(self, X, y):
        a = self.forward(X)
        return float(-np.mean(y * np.log(a) + (1 - y) * np.log(1 - a)))

    def gradients(self, X, y):
        m = X.shape[0]
        a2 = self.forward(X)
        dz2 = a2 - y
        dW2 = self.A1.T @ dz2 / m
        db2 = np.sum(dz2, axis=0, keepdims=True) / m
        dz1 = (dz2 @ self.W2.T) * self.A1 * (1 - self.A1)
        dW1 = X.T @ dz1 / m
        db1 = np.sum(dz1, axis=0, keepdims=True) / m
        return {"W1": dW1, "b1": db1, "W2": dW2, "b2": db2}

    def train(self, X, y, epochs, lr):
        hist = []
        for _ in range(epochs):
            hist.append(self.loss(X, y))
            g = self.gradients(X, y)
            self.W1 -= lr * g["W1"]
            self.b1 -= lr * g["b1"]
            self.W2 -= lr * g["W2"]
            self.b2 -= lr * g["b2"]
        return hist
