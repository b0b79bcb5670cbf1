# expect: the estimate must be 4 × \(points inside\)
# why: the inside counter starts at 1: a bias of 4/n, invisible next to σ at n = 10^4 but plain with a handful of points
import numpy as np


def estimate_pi(n_samples: int, rng: np.random.Generator) -> float:
    if n_samples <= 0:
        raise ValueError("n_samples must be positive")
    inside = 1
    for x, y in rng.random((n_samples, 2)):
        inside += x * x + y * y <= 1.0
    return 4.0 * inside / n_samples
