# expect: numpy\.random
# why: numpy.random is forbidden — it ignores random.seed, so a run cannot be reproduced by seeding random
import numpy as np


def shuffle(nums: list) -> list:
    order = np.random.permutation(len(nums))
    nums[:] = [nums[i] for i in order]
    return nums
