# expect: orders of \[1, 2, 3\] are not equally likely
# why: off-by-one — j drawn from 0..i-1 (Sattolo's algorithm) forces every item to move; only the (n-1)! cyclic orders can come out
import random


def shuffle(nums: list) -> list:
    for i in range(len(nums) - 1, 0, -1):
        j = random.randint(0, i - 1)
        nums[i], nums[j] = nums[j], nums[i]
    return nums
