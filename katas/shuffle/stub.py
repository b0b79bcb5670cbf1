import random


def shuffle(nums: list) -> list:
    """Shuffle ``nums`` in place, uniformly at random (Fisher–Yates), and return it.

    Every one of the n! orders must be equally likely. Draw randomness only from the
    module-level functions of ``random`` (random.randint, random.randrange,
    random.random), so that ``random.seed(...)`` makes a run reproducible.

    Returns the same list object that was passed in.
    """
    raise NotImplementedError
