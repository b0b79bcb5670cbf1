# why: caches activations in forward and reuses them, updates in place with -=, naive log-form BCE
import numpy as np


def sigmoid(z):
    return 1.0 / (1.0 + np.exp(-z))


class TwoLayerNet:
    def __init__(self, input_size, hidden_size, output_size, seed=0):
        rng = np.random.default_rng(seed)
        self.W1 = rng.standard_normal((input_size, hidden_size)) * 0.1
        self.b1 = np.zeros((1, hidden_size))
        self.W2 = rng.standard_normal((hidden_size, output_size)) * 0.1
        self.b2 = np.zeros((1, output_size))

    def forward(self, X):
        self.Z1 = np.dot(X, self.W1) + self.b1
        self.A1 = sigmoid(self.Z1)
        self.Z2 = np.dot(self.A1, self.W2) + self.b2
        self.A2 = sigmoid(self.Z2)
        return self.A2

    def loss(self, X, y):
        a = self.forward(X)
        return float(-np.mean(y * np.log(a) + (1 - y) * np.log(1 - a)))

    def gradients(self, X, y):
        m, out = y.shape
        self.forward(X)
        dZ2 = (self.A2 - y) / (m * out)
        dW2 = np.dot(self.A1.T, dZ2)
        db2 = np.sum(dZ2, axis=0, keepdims=True)
        dZ1 = np.dot(dZ2, self.W2.T) * sigmoid(self.Z1) * (1 - sigmoid(self.Z1))
        dW1 = np.dot(X.T, dZ1)
        db1 = np.sum(dZ1, axis=0, keepdims=True)
        return {"W1": dW1, "b1": db1, "W2": dW2, "b2": db2}

    def train(self, X, y, epochs, lr):
        losses = []
        for _ in range(epochs):
            losses.append(self.loss(X, y))
            g = self.gradients(X, y)
            self.W1 -= lr * g["W1"]
            self.b1 -= lr * g["b1"]
            self.W2 -= lr * g["W2"]
            self.b2 -= lr * g["b2"]
        return losses
