import random
from typing import Iterable


def reservoir_sample(stream: Iterable, k: int) -> list:
    """Return min(k, n) items chosen uniformly at random from ``stream``.

    ``stream`` is any iterable of unknown length n (possibly a one-shot generator);
    read it once, keep O(k) items in memory, and draw randomness only from the
    module-level functions of ``random``. Every k-subset must be equally likely; the
    order of the returned items is free.

    Raises ValueError if k < 0; k == 0 returns [].
    """
    raise NotImplementedError
