# expect: orders of \[1, 2, 3\] are not equally likely
# why: seed trap — swapping every slot with an index drawn from the whole list gives n^n equally likely runs for n! orders, so some orders are favoured
import random


def shuffle(nums: list) -> list:
    n = len(nums)
    for i in range(n):
        j = random.randint(0, n - 1)
        nums[i], nums[j] = nums[j], nums[i]
    return nums
