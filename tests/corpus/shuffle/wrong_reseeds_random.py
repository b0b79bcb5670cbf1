# expect: same result whatever the seed of `random`
# why: reseeding `random` inside the function makes every call give the same order, whatever the caller seeded
import random


def shuffle(nums: list) -> list:
    random.seed(1234)
    for i in range(len(nums) - 1, 0, -1):
        j = random.randrange(i + 1)
        nums[i], nums[j] = nums[j], nums[i]
    return nums
