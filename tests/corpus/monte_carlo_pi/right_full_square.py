# why: the whole circle in [-1, 1)^2 with rng.uniform and np.hypot; the area ratio is π/4 as well
import numpy as np


def estimate_pi(n_samples: int, rng: np.random.Generator) -> float:
    if n_samples <= 0:
        raise ValueError(f"need a positive number of samples, got {n_samples}")
    pts = rng.uniform(-1.0, 1.0, size=(n_samples, 2))
    hits = np.count_nonzero(np.hypot(pts[:, 0], pts[:, 1]) < 1.0)
    return 4 * hits / n_samples
