import numpy as np


class TwoLayerNet:
    """input -> Linear -> sigmoid -> Linear -> sigmoid, mean BCE loss, manual backprop.

    Attributes (float64): W1 (in, h), b1 (1, h), W2 (h, out), b2 (1, out).
    The grader may assign its own arrays to them after construction.
    """

    def __init__(self, input_size: int, hidden_size: int, output_size: int, seed: int = 0):
        """Random weights from np.random.default_rng(seed), zero biases."""
        raise NotImplementedError

    def forward(self, X: np.ndarray) -> np.ndarray:
        """X (m, in) -> A2 (m, out), sigmoid on both layers."""
        raise NotImplementedError

    def loss(self, X: np.ndarray, y: np.ndarray) -> float:
        """Mean binary cross-entropy over all m * out entries; y is (m, out)."""
        raise NotImplementedError

    def gradients(self, X: np.ndarray, y: np.ndarray) -> dict:
        """{"W1", "b1", "W2", "b2"}: gradients of loss(X, y), each shaped like its attribute."""
        raise NotImplementedError

    def train(self, X: np.ndarray, y: np.ndarray, epochs: int, lr: float) -> list:
        """Full-batch gradient descent; returns the loss before each epoch's update."""
        raise NotImplementedError
