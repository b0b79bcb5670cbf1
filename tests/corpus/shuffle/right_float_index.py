# why: a correct Fisher–Yates written differently: the index from random.random() scaled to i + 1 slots, a while loop from the back
import random


def shuffle(nums: list) -> list:
    i = len(nums) - 1
    while i > 0:
        pick = int(random.random() * (i + 1))
        nums[pick], nums[i] = nums[i], nums[pick]
        i -= 1
    return nums
