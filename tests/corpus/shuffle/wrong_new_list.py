# expect: same list object
# why: shuffles a copy and returns it; the caller's list is left in its original order
import random


def shuffle(nums: list) -> list:
    out = list(nums)
    for i in range(len(out) - 1, 0, -1):
        j = random.randint(0, i)
        out[i], out[j] = out[j], out[i]
    return out
