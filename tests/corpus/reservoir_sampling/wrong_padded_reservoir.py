# expect: expected min\(k, n\) = 2 items
# why: pre-allocates k slots, so a stream shorter than k comes back padded with None
import random
from typing import Iterable


def reservoir_sample(stream: Iterable, k: int) -> list:
    if k < 0:
        raise ValueError("k must be non-negative")
    res = [None] * k
    for i, item in enumerate(stream):
        if i < k:
            res[i] = item
        else:
            j = random.randrange(i + 1)
            if j < k:
                res[j] = item
    return res
