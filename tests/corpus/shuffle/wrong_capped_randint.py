# expect: items from positions .* ended in slots .* times instead of about
# why: the index comes from a capped draw, randint(0, 32767) % (i + 1): fair to 1e-4 on short lists, but past index 32767 the later items can never be picked, so long lists are visibly biased
import random


def shuffle(nums: list) -> list:
    for i in range(len(nums) - 1, 0, -1):
        j = random.randint(0, 32767) % (i + 1)
        nums[i], nums[j] = nums[j], nums[i]
    return nums
