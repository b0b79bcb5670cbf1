# expect: used the `np.random`
# why: draws from the global np.random instead of the rng it was given, so the seed does not fix the result
import numpy as np


def estimate_pi(n_samples: int, rng: np.random.Generator) -> float:
    if n_samples <= 0:
        raise ValueError("n_samples must be positive")
    pts = np.random.rand(n_samples, 2)
    inside = np.sum(np.sum(pts**2, axis=1) <= 1.0)
    return 4.0 * inside / n_samples
