# expect: equal values are still different stream items
# why: skipping an item equal to one already kept treats repeated values as one item: a stream of ten 7s yields one item, not k
import random


def reservoir_sample(stream, k):
    if k < 0:
        raise ValueError("k must be >= 0")
    reservoir = []
    seen = 0
    for item in stream:
        if item in reservoir:
            continue
        seen += 1
        if len(reservoir) < k:
            reservoir.append(item)
        else:
            j = random.randrange(seen)
            if j < k:
                reservoir[j] = item
    return reservoir
