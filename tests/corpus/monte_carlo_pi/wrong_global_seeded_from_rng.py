# expect: used the `np.random`
# why: seeds numpy's global generator from rng and draws from it: reproducible, but it reseeds and consumes a generator the caller never handed over (draw only from rng)
import numpy as np


def estimate_pi(n_samples: int, rng: np.random.Generator) -> float:
    if n_samples <= 0:
        raise ValueError("n_samples must be positive")
    np.random.seed(int(rng.integers(2**32)))
    x, y = np.random.rand(2, n_samples)
    return 4.0 * float(np.count_nonzero(x * x + y * y <= 1.0)) / n_samples
