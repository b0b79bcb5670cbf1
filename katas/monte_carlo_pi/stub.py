import numpy as np


def estimate_pi(n_samples: int, rng: np.random.Generator) -> float:
    """Estimate π from ``n_samples`` uniform random points, drawn only from ``rng``.

    Returns a float; the same seed gives the same value.
    Raises ValueError if n_samples <= 0.
    """
    raise NotImplementedError
