# expect: same result whatever the seed of `random`
# why: a private generator with a fixed seed returns the same sample on every call, whatever the caller seeded
import random


def reservoir_sample(stream, k):
    if k < 0:
        raise ValueError("k must be >= 0")
    gen = random.Random(0)
    reservoir = []
    for i, item in enumerate(stream):
        if i < k:
            reservoir.append(item)
        else:
            j = gen.randrange(i + 1)
            if j < k:
                reservoir[j] = item
    return reservoir
