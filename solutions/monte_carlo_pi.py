import numpy as np

_CHUNK = 1 << 20  # points per batch: bounds memory at ~16 MB whatever n_samples is


def estimate_pi(n_samples: int, rng: np.random.Generator) -> float:
    """Estimate π from ``n_samples`` uniform points in the unit square, drawn from ``rng``."""
    if n_samples <= 0:
        raise ValueError(f"n_samples must be positive, got {n_samples}")
    inside = 0
    remaining = n_samples
    while remaining > 0:
        m = min(remaining, _CHUNK)
        # The quarter disc x^2 + y^2 <= 1 covers pi/4 of the unit square [0, 1)^2.
        x = rng.random(m)
        y = rng.random(m)
        inside += int(np.count_nonzero(x * x + y * y <= 1.0))
        remaining -= m
    return 4.0 * inside / n_samples
