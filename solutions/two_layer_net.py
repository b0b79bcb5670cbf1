import numpy as np


def _sigmoid(z: np.ndarray) -> np.ndarray:
    # 1 / (1 + e^-z) written as exp(-log(1 + e^-z)): logaddexp never overflows, and the
    # result keeps full relative precision even for tiny outputs.
    return np.exp(-np.logaddexp(0.0, -z))


class TwoLayerNet:
    """input -> Linear(in, h) -> sigmoid -> Linear(h, out) -> sigmoid, trained with mean BCE.

    Weights are row-vector style: Z1 = X @ W1 + b1 with W1 (in, h), b1 (1, h);
    Z2 = A1 @ W2 + b2 with W2 (h, out), b2 (1, out).
    """

    def __init__(self, input_size: int, hidden_size: int, output_size: int, seed: int = 0):
        rng = np.random.default_rng(seed)
        # Xavier/Glorot-style scale keeps the sigmoids away from saturation at the start;
        # random (not zero) weights break the symmetry between hidden units.
        self.W1 = rng.normal(0.0, np.sqrt(2.0 / (input_size + hidden_size)), size=(input_size, hidden_size))
        self.b1 = np.zeros((1, hidden_size))
        self.W2 = rng.normal(0.0, np.sqrt(2.0 / (hidden_size + output_size)), size=(hidden_size, output_size))
        self.b2 = np.zeros((1, output_size))  # output size, not hidden size

    def _forward(self, X: np.ndarray):
        Z1 = X @ self.W1 + self.b1          # (m, h)
        A1 = _sigmoid(Z1)                   # (m, h)
        Z2 = A1 @ self.W2 + self.b2         # (m, out)
        return A1, Z2

    def forward(self, X: np.ndarray) -> np.ndarray:
        """X (m, in) -> output probabilities (m, out)."""
        _, Z2 = self._forward(np.asarray(X, dtype=np.float64))
        return _sigmoid(Z2)

    def loss(self, X: np.ndarray, y: np.ndarray) -> float:
        """Mean binary cross-entropy over all m * out entries; y has shape (m, out)."""
        _, Z2 = self._forward(np.asarray(X, dtype=np.float64))
        y = np.asarray(y, dtype=np.float64)
        # From the logit: -[y log s(z) + (1 - y) log(1 - s(z))] = log(1 + e^z) - y z,
        # which is exact and never takes log(0).
        return float(np.mean(np.logaddexp(0.0, Z2) - y * Z2))

    def gradients(self, X: np.ndarray, y: np.ndarray) -> dict:
        """Gradients of loss(X, y) with respect to W1, b1, W2, b2 (same shapes as the weights)."""
        X = np.asarray(X, dtype=np.float64)
        y = np.asarray(y, dtype=np.float64)
        A1, Z2 = self._forward(X)
        A2 = _sigmoid(Z2)
        # sigmoid + BCE: dl/dZ2 = A2 - y per entry; the loss averages over m * out
        # entries, so every entry carries 1 / (m * out) (not 1 / m).
        dZ2 = (A2 - y) / y.size             # (m, out)
        dW2 = A1.T @ dZ2                    # (h, out)
        db2 = dZ2.sum(axis=0, keepdims=True)  # (1, out)
        dA1 = dZ2 @ self.W2.T               # (m, h)
        dZ1 = dA1 * A1 * (1.0 - A1)         # sigmoid'(Z1) = A1 (1 - A1)
        dW1 = X.T @ dZ1                     # (in, h)
        db1 = dZ1.sum(axis=0, keepdims=True)  # (1, h)
        return {"W1": dW1, "b1": db1, "W2": dW2, "b2": db2}

    def train(self, X: np.ndarray, y: np.ndarray, epochs: int, lr: float) -> list:
        """Full-batch gradient descent; returns the loss before each epoch's update."""
        history = []
        for _ in range(epochs):
            history.append(self.loss(X, y))
            grads = self.gradients(X, y)
            self.W1 = self.W1 - lr * grads["W1"]
            self.b1 = self.b1 - lr * grads["b1"]
            self.W2 = self.W2 - lr * grads["W2"]
            self.b2 = self.b2 - lr * grads["b2"]
        return history
