# expect: random\.shuffle
# why: forbidden call behind an alias — the exercise is to write the shuffle, not to call random.shuffle
from random import shuffle as _mix


def shuffle(nums: list) -> list:
    _mix(nums)
    return nums
