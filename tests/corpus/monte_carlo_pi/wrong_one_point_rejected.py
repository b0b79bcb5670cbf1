# expect: small n: the estimate is 4
# why: refuses n_samples = 1 (`<= 1` instead of `<= 0`): one point is a valid, if rough, estimate
import numpy as np


def estimate_pi(n_samples: int, rng: np.random.Generator) -> float:
    if n_samples <= 1:
        raise ValueError("need at least two points")
    pts = rng.random((n_samples, 2))
    return 4.0 * float(np.count_nonzero((pts * pts).sum(axis=1) <= 1.0)) / n_samples
