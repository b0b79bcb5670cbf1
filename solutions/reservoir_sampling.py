import random
from typing import Iterable


def reservoir_sample(stream: Iterable, k: int) -> list:
    """Return min(k, n) items chosen uniformly at random from ``stream`` (Algorithm R)."""
    if k < 0:
        raise ValueError(f"k must be >= 0, got {k}")
    if k == 0:
        return []
    reservoir = []
    for i, item in enumerate(stream):
        if i < k:
            reservoir.append(item)
            continue
        # Invariant: the reservoir is a uniform k-subset of items 0..i-1. Item i must be
        # in a uniform k-subset of items 0..i with probability k / (i + 1): draw j among
        # the i + 1 values 0..i and keep the item when j < k. Conditioned on that, j is
        # uniform over the k slots, so the evicted item is uniform too.
        j = random.randrange(i + 1)
        if j < k:
            reservoir[j] = item
    return reservoir
