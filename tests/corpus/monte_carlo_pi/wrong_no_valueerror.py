# expect: expected ValueError \(n_samples <= 0\)
# why: no check on n_samples: 0 gives nan (0/0) instead of raising ValueError
import numpy as np


def estimate_pi(n_samples: int, rng: np.random.Generator) -> float:
    x = rng.random(max(n_samples, 0))
    y = rng.random(max(n_samples, 0))
    return float(4.0 * np.mean(x * x + y * y <= 1.0))
