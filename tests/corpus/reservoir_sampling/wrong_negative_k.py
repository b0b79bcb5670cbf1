# expect: expected ValueError \(k < 0\)
# why: k < 0 is silently treated as k == 0 instead of raising ValueError
import random
from typing import Iterable


def reservoir_sample(stream: Iterable, k: int) -> list:
    if k <= 0:
        return []
    res = []
    for i, item in enumerate(stream):
        if i < k:
            res.append(item)
        else:
            j = random.randrange(i + 1)
            if j < k:
                res[j] = item
    return res
