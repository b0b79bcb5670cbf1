# expect: used the `random` module
# why: draws the points from rng but picks the batch size with the random module, so the global generator's state changes (draw only from rng)
import random

import numpy as np


def estimate_pi(n_samples: int, rng: np.random.Generator) -> float:
    if n_samples <= 0:
        raise ValueError("n_samples must be positive")
    inside, done = 0, 0
    while done < n_samples:
        m = min(n_samples - done, random.randint(1000, 5000))
        pts = rng.random((m, 2))
        inside += int(np.count_nonzero((pts ** 2).sum(axis=1) <= 1.0))
        done += m
    return 4.0 * inside / n_samples
