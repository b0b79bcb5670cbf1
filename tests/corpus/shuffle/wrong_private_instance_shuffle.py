# expect: random\.shuffle.{0,20}forbidden
# why: random._inst is the hidden Random instance behind the module functions: its shuffle is random.shuffle
import random


def shuffle(nums: list) -> list:
    random._inst.shuffle(nums)
    return nums
