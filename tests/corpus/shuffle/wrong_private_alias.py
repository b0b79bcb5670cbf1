# expect: random\.Random\.shuffle
# why: random._inst is the hidden instance behind the module functions: its shuffle is random.shuffle under another name
import random


def shuffle(nums: list) -> list:
    random._inst.shuffle(nums)
    return nums
