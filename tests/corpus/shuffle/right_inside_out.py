# why: "inside-out" Fisher–Yates into a fresh list, copied back into the caller's list; random.random() scaled to an index
import random


def shuffle(nums: list) -> list:
    out = []
    for i, item in enumerate(nums):
        j = int(random.random() * (i + 1))
        if j == i:
            out.append(item)
        else:
            out.append(out[j])
            out[j] = item
    nums[:] = out
    return nums
