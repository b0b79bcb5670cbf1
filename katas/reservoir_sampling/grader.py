import itertools

from harness.engine import Case, Fail, Grader, assert_uniform, chi_square
from harness.engine.rngs import assert_draws_from_random_module
from harness.engine.show import short
from harness.engine.stats import assert_indices_spread

grader = Grader("reservoir_sample")


def _one_shot(items):
    """A plain generator: no len(), no indexing, exhausted after one pass."""
    yield from items


def _from_list(impl, case):
    """Cases hold a list (generators cannot be copied); the attempt gets a generator over it."""
    items, k = case.args
    return impl.reservoir_sample(_one_shot(items), k)


def _subset(s):
    return "{" + ", ".join(map(str, sorted(s))) + "}"


grader.raises("k < 0 raises ValueError", ValueError,
              [Case([1, 2, 3, 4, 5], -1).named("a generator over"), Case([], -3).named("a generator over")],
              call=_from_list, why="k < 0")


@grader.property("returns min(k, n) distinct stream items (also n < k, n == k, k == 0, an empty stream)")
def sizes(ctx):
    ctx.seed_everything()
    for n, k in [(5, 2), (2, 5), (4, 4), (0, 3), (1, 1), (6, 0), (0, 0), (50, 7)]:
        out = ctx.attempt.reservoir_sample(_one_shot(range(n)), k)
        case = f"reservoir_sample(<generator of {list(range(n)) if n <= 8 else f'0..{n - 1}'}>, k={k})"
        if not isinstance(out, list):
            raise Fail(f"expected a list, got {type(out).__name__}", case=case)
        if len(out) != min(k, n):
            raise Fail(f"expected min(k, n) = {min(k, n)} items, got {len(out)}", case=case, got=repr(out))
        if any(not isinstance(x, int) or not 0 <= x < n for x in out) or len(set(out)) != len(out):
            raise Fail("the items must be distinct items of the stream", case=case, got=repr(out))


@grader.property("repeated values and unhashable items are separate items (no dedup by value)")
def repeated_values(ctx):
    ctx.seed_everything()
    streams = [([7] * 10, 3), ([1, 1, 2], 5), ([[i % 3] for i in range(12)], 5),
               ([{"id": i % 2} for i in range(6)], 6), ([[0]] * 4, 2)]
    for items, k in streams:
        case = f"reservoir_sample(<generator of {short(items, 120)}>, k={k})"
        out = ctx.attempt.reservoir_sample(_one_shot(items), k)
        if not isinstance(out, list):
            raise Fail(f"expected a list, got {type(out).__name__}", case=case)
        if len(out) != min(k, len(items)):
            raise Fail(f"expected min(k, n) = {min(k, len(items))} items, got {len(out)}: equal values are "
                       "still different stream items", case=case, got=short(out, 200))
        # each stream object at most as often as the stream holds it (identity, not value)
        held = {id(x): sum(y is x for y in items) for x in items}
        taken = {id(x): sum(y is x for y in out) for x in out}
        if any(i not in held or taken[i] > held[i] for i in taken):
            raise Fail("the items must be items of the stream, each taken at most once", case=case,
                       got=short(out, 200))


@grader.property("draws from the `random` module: seeding it fixes the sample, and nothing else does")
def random_module(ctx):
    n, k = 200, 10

    def run():
        out = ctx.attempt.reservoir_sample(_one_shot(range(n)), k)
        return list(out) if isinstance(out, list) else out

    assert_draws_from_random_module(run, seed=ctx.seed, case=f"reservoir_sample(<generator of 0..{n - 1}>, "
                                    f"k={k})")


def _uniform_subsets(n, k, trials):
    def check(ctx):
        ctx.seed_everything()
        samples = (frozenset(ctx.attempt.reservoir_sample(_one_shot(range(n)), k)) for _ in range(trials))
        assert_uniform(samples, [frozenset(c) for c in itertools.combinations(range(n), k)],
                       what=f"the k-subsets of a stream of {n} items (k = {k})", trials_word="samples",
                       show=_subset)

    return check


# Trial counts: the seed trap (replacement loop one index late) gives an expected chi-square
# statistic of 2700, 3800 and 1400 against cut-offs of 50, 70 and 46 (a miss is hopeless).
grader.property("every pair of a 5-item stream is equally likely (k = 2)")(_uniform_subsets(5, 2, 20_000))
grader.property("every triple of a 6-item stream is equally likely (k = 3)")(_uniform_subsets(6, 3, 30_000))
grader.property("every item of an 8-item stream is equally likely (k = 1)")(_uniform_subsets(8, 1, 16_000))


@grader.property("each item is kept with probability k/n (n = 30, k = 4)")
def inclusion(ctx):
    # Chi-square on the inclusion counts. Sampling without replacement makes the counts
    # less variable than the multinomial this test assumes, so it is conservative. The
    # seed trap's expected statistic is ~400 against a cut-off of 87.
    n, k, trials = 30, 4, 15_000
    ctx.seed_everything()
    counts = dict.fromkeys(range(n), 0)
    for _ in range(trials):
        for x in set(ctx.attempt.reservoir_sample(_one_shot(range(n)), k)):
            counts[x] += 1
    stat, p = chi_square(counts, dict.fromkeys(range(n), 1 / n))
    if p < 1e-7:
        lo = min(counts, key=counts.get)
        hi = max(counts, key=counts.get)
        raise Fail(f"each item should be kept with probability k/n = {k / n:.1%}; item {hi} was kept "
                   f"{counts[hi] / trials:.1%} of the time, item {lo} {counts[lo] / trials:.1%}",
                   diff=f"over {trials} samples of a stream of 0..{n - 1}; chi-square = {stat:.1f}, "
                        f"p = {p:.2g} (a fair sampler fails this with probability below 1e-07)")


class _Tracked:
    """A stream item that counts how many tracked items are alive at once."""

    __slots__ = ("value",)
    live = 0
    peak = 0

    def __init__(self, value):
        self.value = value
        _Tracked.live += 1
        if _Tracked.live > _Tracked.peak:
            _Tracked.peak = _Tracked.live

    def __del__(self):
        _Tracked.live -= 1


@grader.property("one pass over 10^6 items holding O(k) of them, every stretch of the stream equally "
                 "represented (k = 1024)")
def one_pass_small_memory(ctx):
    # Every 64th item is a tracked object (tracking all of them would triple the run time):
    # a reservoir holds about k/64 of them at once, a list of the stream ~15 600.
    # The same run checks positions at scale: ~102 kept items per stretch of 10^5; a draw
    # capped at 2^15 (`randint(0, 32767) % (i + 1)`) keeps late items k/32768 of the time
    # instead of k/(i + 1), so the early stretches all but vanish from the sample.
    n, k, every, blocks = 10**6, 1024, 64, 10
    reads = 0

    def stream():
        nonlocal reads
        for i in range(n):
            reads += 1
            yield _Tracked(i) if i % every == 0 else i

    _Tracked.live = _Tracked.peak = 0
    ctx.seed_everything()
    out = ctx.attempt.reservoir_sample(stream(), k)
    if reads != n:
        raise Fail(f"the whole stream must be read once: {reads} of {n} items were read")
    if not isinstance(out, list) or len(out) != k or len({id(x) for x in out}) != k:
        raise Fail(f"expected a list of {k} distinct stream items", got=short(out, 200))
    if _Tracked.peak > k // every + k // 4 + 10:
        raise Fail(f"held about {_Tracked.peak * every} stream items in memory at once; a reservoir needs "
                   f"O(k) memory (k = {k}), so do not collect the stream (no list(stream))")
    positions = [x.value if isinstance(x, _Tracked) else x for x in out]
    if len(set(positions)) != k:
        raise Fail(f"expected {k} distinct stream items", got=short(out, 200))
    assert_indices_spread(positions, n, blocks, what=f"a sample of {k} from a stream of {n} items is not uniform")


grader.speed(lambda rng: Case(10**6, 10), call=lambda impl, c: impl.reservoir_sample(
    (i for i in range(c.args[0])), c.args[1]), label="a stream of 10^6 items, k = 10")
