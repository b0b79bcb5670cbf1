# expect: `random` seeded the same way your function returned two different results
# why: a private random.Random() is seeded from the OS, so seeding the random module does not make a run reproducible
import random


def shuffle(nums: list) -> list:
    gen = random.Random()
    for i in range(len(nums) - 1, 0, -1):
        j = gen.randint(0, i)
        nums[i], nums[j] = nums[j], nums[i]
    return nums
