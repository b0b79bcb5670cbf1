# why: Algorithm R with a 1-based count: the t-th item is kept with probability k / t via randint(1, t)
import random
from typing import Iterable


def reservoir_sample(stream: Iterable, k: int) -> list:
    if k < 0:
        raise ValueError(f"negative sample size {k}")
    sample = []
    if k == 0:
        return sample
    t = 0
    for item in stream:
        t += 1
        if t <= k:
            sample.append(item)
        else:
            r = random.randint(1, t)
            if r <= k:
                sample[r - 1] = item
    return sample
