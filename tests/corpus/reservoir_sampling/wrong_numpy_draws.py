# expect: used the `np.random`
# why: draws from numpy's global generator, so seeding the random module (as the contract says the grader does) does not make a run reproducible
import numpy as np


def reservoir_sample(stream, k):
    if k < 0:
        raise ValueError("k must be >= 0")
    reservoir = []
    for i, item in enumerate(stream):
        if i < k:
            reservoir.append(item)
        else:
            j = int(np.random.randint(0, i + 1))
            if j < k:
                reservoir[j] = item
    return reservoir
