import numpy as np


def dropout(x: np.ndarray, p: float, training: bool, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray | None]:
    """Inverted dropout with drop probability ``p``, as ``F.dropout``.

    Training: returns (y, mask), mask a bool array of x's shape (True = kept), y = x·mask/(1 − p).
    Eval: y has exactly x's values; the mask is None (or all True).
    Random numbers come only from ``rng``. y keeps x's shape and dtype; x is not modified.
    Raises ValueError for p < 0 or p > 1, in both modes.
    """
    raise NotImplementedError


def dropout_backward(dy: np.ndarray, mask: np.ndarray, p: float) -> np.ndarray:
    """dy·mask/(1 − p) for a mask returned by a training call (zeros when p = 1); dy's dtype."""
    raise NotImplementedError
