# why: Fisher–Yates run front to back: slot i takes a uniform pick among slots i..n-1
import random


def shuffle(nums: list) -> list:
    n = len(nums)
    for i in range(n - 1):
        j = random.randint(i, n - 1)
        if j != i:
            nums[i], nums[j] = nums[j], nums[i]
    return nums
