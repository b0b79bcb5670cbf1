# why: correct, written differently: keep item i with a coin of probability k/(i + 1) from random.random(), then evict a slot drawn uniformly; items compared by identity only (repeats and unhashable items are fine)
import random


def reservoir_sample(stream, k):
    if k < 0:
        raise ValueError(f"negative k: {k}")
    kept = []
    count = 0
    for item in stream:
        count += 1
        if len(kept) < k:
            kept.append(item)
        elif k and random.random() < k / count:
            kept[random.randrange(k)] = item
    return kept
