# expect: k-subsets of a stream .* are not equally likely
# why: seed trap — the replacement loop starts one index late (enumerate(..., start=k + 1)), so item i is kept with probability k / (i + 2) instead of k / (i + 1)
import random
from typing import Iterable


def reservoir_sample(stream: Iterable, k: int) -> list:
    if k < 0:
        raise ValueError("k must be non-negative")
    if k == 0:
        return []
    it = iter(stream)
    res = []
    for item in it:
        res.append(item)
        if len(res) == k:
            break
    for i, item in enumerate(it, start=k + 1):
        j = random.randint(0, i)
        if j < k:
            res[j] = item
    return res
