import numpy as np


def _check_p(p: float) -> None:
    # Validated before looking at `training`: an invalid p is an error in eval too (as torch).
    if not 0.0 <= p <= 1.0:
        raise ValueError(f"dropout probability has to be between 0 and 1, but got {p}")


def dropout(x: np.ndarray, p: float, training: bool, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray | None]:
    """Inverted dropout: drop each element with probability p and scale the survivors by
    1/(1 - p) in training, so that eval is the identity. Returns (y, mask), mask True = kept."""
    _check_p(p)
    if not training:
        return x.copy(), None
    if p == 1.0:
        # Everything dropped; 1/(1 - p) would be inf and 0 * inf = nan.
        return np.zeros_like(x), np.zeros(x.shape, dtype=bool)
    mask = rng.random(x.shape) >= p  # kept with probability 1 - p; only `rng` draws
    scale = np.asarray(1.0 / (1.0 - p), dtype=x.dtype)  # keeps float32 as float32
    return np.where(mask, x * scale, np.zeros((), dtype=x.dtype)), mask


def dropout_backward(dy: np.ndarray, mask: np.ndarray, p: float) -> np.ndarray:
    """Gradient through the forward that returned ``mask``: dy * mask / (1 - p)."""
    _check_p(p)
    if p == 1.0:
        return np.zeros_like(dy)
    scale = np.asarray(1.0 / (1.0 - p), dtype=dy.dtype)
    return np.where(mask, dy * scale, np.zeros((), dtype=dy.dtype))
