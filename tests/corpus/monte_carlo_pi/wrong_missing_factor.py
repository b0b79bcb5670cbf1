# expect: σ away from π
# why: returns the fraction of points inside the quarter disc (≈ π/4) and forgets the factor 4
import numpy as np


def estimate_pi(n_samples: int, rng: np.random.Generator) -> float:
    if n_samples <= 0:
        raise ValueError("n_samples must be positive")
    xy = rng.random((n_samples, 2))
    return float(np.mean(np.hypot(xy[:, 0], xy[:, 1]) <= 1.0))
