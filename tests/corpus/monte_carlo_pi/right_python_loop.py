# why: correct but slow: a Python loop over the points (drawn in numpy chunks from rng); gets a speed warning, not a failure
import numpy as np


def estimate_pi(n_samples: int, rng: np.random.Generator) -> float:
    if n_samples <= 0:
        raise ValueError("n_samples must be positive")
    inside = 0
    done = 0
    while done < n_samples:
        m = min(100_000, n_samples - done)
        xs = rng.random(m).tolist()
        ys = rng.random(m).tolist()
        for x, y in zip(xs, ys):
            if x * x + y * y <= 1.0:
                inside += 1
        done += m
    return 4.0 * inside / n_samples
