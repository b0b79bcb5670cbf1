# expect: same seed .*two different estimates
# why: shadows the argument with a fresh unseeded generator, so two runs with the same seed differ
import numpy as np


def estimate_pi(n_samples: int, rng: np.random.Generator) -> float:
    if n_samples <= 0:
        raise ValueError("n_samples must be positive")
    rng = np.random.default_rng()
    x = rng.uniform(-1.0, 1.0, n_samples)
    y = rng.uniform(-1.0, 1.0, n_samples)
    return float(4.0 * np.mean(x * x + y * y <= 1.0))
