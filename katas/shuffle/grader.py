import itertools
import random

from harness.engine import Case, Fail, Grader, assert_uniform
from harness.engine.rngs import assert_draws_from_random_module
from harness.engine.stats import assert_positions_uniform

# random.Random.shuffle / .sample: the module functions are methods of a hidden instance,
# reachable as random._inst.shuffle; guarding the class catches every path to them.
grader = Grader("shuffle", forbidden=["random.shuffle", "random.sample", "random.Random.shuffle",
                                      "random.Random.sample", "numpy.random.*"], pure=False)


def _order(items):
    return "[" + ", ".join(map(repr, items)) + "]"


@grader.property("returns the very list it was given, holding the same items")
def same_object(ctx):
    ctx.seed_everything()
    for n in (5, 10, 50):
        nums = [random.randrange(4) for _ in range(n - 1)] + ["x"]  # duplicates and mixed types
        before = list(nums)
        out = ctx.attempt.shuffle(nums)
        if out is not nums:
            raise Fail("shuffle must rearrange the list in place and return that same list object; "
                       "your function returned a different object", case=f"shuffle({_order(before)})",
                       got=f"{_order(out) if isinstance(out, list) else repr(out)}; the caller's list is now "
                           f"{_order(nums)}")
        if sorted(map(repr, nums)) != sorted(map(repr, before)):
            raise Fail("the result is not a permutation of the input (items were lost or duplicated)",
                       case=f"shuffle({_order(before)})", got=_order(nums))


@grader.property("[] and a one-item list come back unchanged, as the same object")
def trivial(ctx):
    for items in ([], [42]):
        nums = list(items)
        out = ctx.attempt.shuffle(nums)
        if out is not nums or nums != items:
            raise Fail("expected the same list back, unchanged", case=f"shuffle({_order(items)})",
                       got=repr(out))


def _uniform_orders(n, trials):
    def check(ctx):
        ctx.seed_everything()
        items = list(range(1, n + 1))

        def one():
            nums = list(items)
            out = ctx.attempt.shuffle(nums)
            return tuple(out if isinstance(out, list) else nums)

        assert_uniform((one() for _ in range(trials)), list(itertools.permutations(items)),
                       what=f"the {len(list(itertools.permutations(items)))} orders of {_order(items)}",
                       trials_word="shuffles", show=_order)

    return check


@grader.property("draws from the `random` module: seeding it fixes the order, and nothing else does")
def random_module(ctx):
    items = list(range(20))  # 20! orders: another seed repeating an order is hopeless

    def run():
        nums = list(items)
        out = ctx.attempt.shuffle(nums)
        return list(out) if isinstance(out, list) else out

    assert_draws_from_random_module(run, seed=ctx.seed, case=f"shuffle({_order(items)})", show=_order)


# Trial counts give the seed trap (swap with any index) a chi-square far above the 1e-7
# threshold: expected statistic ~370 (n = 3) and ~1430 (n = 4) against cut-offs of 41 and 77
# (a miss has probability below 1e-30).
grader.property("all 6 orders of 3 items are equally likely")(_uniform_orders(3, 30_000))
grader.property("all 24 orders of 4 items are equally likely")(_uniform_orders(4, 48_000))


@grader.property("shuffles 10^5 items in linear time, every item able to reach every slot")
def large(ctx):
    # One shuffle serves both: five stretches of 20000, so a draw capped at 2^15 or 2^16
    # (`randint(0, 32767) % (i + 1)`) leaves whole (items, slots) cells empty, each expected
    # to hold ~4000.
    n, blocks = 100_000, 5
    ctx.seed_everything()
    nums = list(range(n))
    out = ctx.attempt.shuffle(nums)
    if out is not nums or sorted(nums) != list(range(n)):
        raise Fail("on 10^5 items the result is not the same list holding a permutation of its items")
    assert_positions_uniform([nums], n, blocks, what=f"a shuffle of {n} items is not uniform")


grader.speed(lambda rng: Case(list(range(200_000))), label="a list of 2·10^5 items")
