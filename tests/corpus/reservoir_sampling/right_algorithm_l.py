# why: Li's Algorithm L: geometric skips, so only O(k log(n/k)) random numbers are drawn; skipped items are consumed with islice
import math
import random
from itertools import islice
from typing import Iterable

_END = object()


def _open_uniform() -> float:
    """A uniform draw in (0, 1): log() of it is finite."""
    u = random.random()
    while u == 0.0:
        u = random.random()
    return u


def reservoir_sample(stream: Iterable, k: int) -> list:
    if k < 0:
        raise ValueError("k must be >= 0")
    if k == 0:
        return []
    it = iter(stream)
    reservoir = list(islice(it, k))
    if len(reservoir) < k:
        return reservoir
    w = math.exp(math.log(_open_uniform()) / k)
    while True:
        skip = math.floor(math.log(_open_uniform()) / math.log(1.0 - w))
        nxt = next(islice(it, skip, skip + 1), _END)
        if nxt is _END:
            return reservoir
        reservoir[random.randrange(k)] = nxt
        w *= math.exp(math.log(_open_uniform()) / k)
