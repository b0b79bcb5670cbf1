import random


def shuffle(nums: list) -> list:
    """Shuffle ``nums`` in place, uniformly at random (Fisher–Yates), and return it."""
    # Walk from the back. Slots i+1..n-1 already hold their final items; slot i gets an
    # item drawn uniformly from the i + 1 still-unplaced ones (slots 0..i, i included,
    # so an item may stay where it is). That is n * (n-1) * ... * 2 = n! equally likely
    # runs, one per order.
    for i in range(len(nums) - 1, 0, -1):
        j = random.randrange(i + 1)
        nums[i], nums[j] = nums[j], nums[i]
    return nums
