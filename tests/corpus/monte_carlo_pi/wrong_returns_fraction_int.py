# expect: expected a float
# why: integer division returns an int (3), not a float estimate
import numpy as np


def estimate_pi(n_samples: int, rng: np.random.Generator) -> float:
    if n_samples <= 0:
        raise ValueError("n_samples must be positive")
    pts = rng.random((n_samples, 2))
    inside = int(np.count_nonzero((pts ** 2).sum(axis=1) <= 1.0))
    return 4 * inside // n_samples
