# expect: O\(k\) memory
# why: materialises the whole stream with list(stream) — O(n) memory, the point of a reservoir is O(k)
import random
from typing import Iterable


def reservoir_sample(stream: Iterable, k: int) -> list:
    if k < 0:
        raise ValueError("k must be non-negative")
    items = list(stream)
    return random.sample(items, min(k, len(items)))
