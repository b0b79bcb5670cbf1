# expect: k-subsets of a stream .* are not equally likely
# why: off-by-one — with a 0-based index i, item i must be kept with probability k / (i + 1); k / i keeps late items too often
import random
from typing import Iterable


def reservoir_sample(stream: Iterable, k: int) -> list:
    if k < 0:
        raise ValueError("k must be non-negative")
    if k == 0:
        return []
    res = []
    for i, item in enumerate(stream):
        if i < k:
            res.append(item)
        elif random.random() < k / i:
            res[random.randrange(k)] = item
    return res
