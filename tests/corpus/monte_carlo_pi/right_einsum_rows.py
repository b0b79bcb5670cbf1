# why: one (2, n) draw, squared norms with einsum, and the count kept as a numpy scalar (a numpy float is accepted)
import numpy as np


def estimate_pi(n_samples: int, rng: np.random.Generator) -> float:
    if n_samples < 1:
        raise ValueError("n_samples must be >= 1")
    xy = rng.random((2, n_samples))
    r2 = np.einsum("ij,ij->j", xy, xy)
    return np.float64(4) * (r2 <= 1).sum() / n_samples
