# expect: items came from positions .* instead of about
# why: the slot comes from a capped draw, randint(0, 32767) % (i + 1): past index 32767 a late item is kept with probability k/32768 instead of k/(i + 1), so long streams over-represent their end
import random


def reservoir_sample(stream, k):
    if k < 0:
        raise ValueError("k must be >= 0")
    reservoir = []
    for i, item in enumerate(stream):
        if i < k:
            reservoir.append(item)
        else:
            j = random.randint(0, 32767) % (i + 1)
            if j < k:
                reservoir[j] = item
    return reservoir
