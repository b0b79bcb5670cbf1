import itertools
import random

from harness.engine import Case, Fail, Grader, assert_uniform

grader = Grader("shuffle", forbidden=["random.shuffle", "random.sample", "numpy.random.*"], pure=False)


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


# Trial counts give the seed trap (swap with any index) a chi-square far above the 1e-7
# threshold: expected statistic ~370 (n = 3) and ~1430 (n = 4) against cut-offs of 41 and 77
# (a miss has probability below 1e-30).
grader.property("all 6 orders of 3 items are equally likely")(_uniform_orders(3, 30_000))
grader.property("all 24 orders of 4 items are equally likely")(_uniform_orders(4, 48_000))


@grader.property("shuffles 10^5 items in linear time")
def large(ctx):
    ctx.seed_everything()
    nums = list(range(100_000))
    out = ctx.attempt.shuffle(nums)
    if out is not nums or sorted(nums) != list(range(100_000)):
        raise Fail("on 10^5 items the result is not the same list holding a permutation of its items")


grader.speed(lambda rng: Case(list(range(200_000))), label="a list of 2·10^5 items")
