"""The reference reservoir sampler, proved uniform by exhaustive enumeration."""
import itertools
import random
import time
import tracemalloc
from collections import Counter

import pytest
from scipy import stats

from tests.helpers import load_solution

ref = load_solution("reservoir_sampling")


class _Replay:
    """Stands in for the `random` module: replays one fixed sequence of choices."""

    def __init__(self, choices):
        self.choices = list(choices)
        self.stops = []

    def randrange(self, stop):
        self.stops.append(stop)
        return self.choices[len(self.stops) - 1]


def _one_shot(items):
    """A generator: no len(), no indexing, exhausted after one pass."""
    yield from items


@pytest.mark.parametrize("n,k", [(1, 1), (3, 1), (4, 2), (5, 2), (6, 3), (6, 5), (7, 3)])
def test_every_subset_equally_likely_exactly(n, k, monkeypatch):
    # Algorithm R asks randrange(k + 1), ..., randrange(n): enumerate every answer
    # sequence (all equally likely) and count the subsets they produce.
    ranges = [range(i + 1) for i in range(k, n)]
    counts = Counter()
    for choices in itertools.product(*ranges):
        fake = _Replay(choices)
        monkeypatch.setattr(ref, "random", fake)
        out = ref.reservoir_sample(_one_shot(range(n)), k)
        assert fake.stops == [i + 1 for i in range(k, n)]
        assert len(out) == k == len(set(out))
        counts[frozenset(out)] += 1
    assert set(counts) == {frozenset(c) for c in itertools.combinations(range(n), k)}
    assert len(set(counts.values())) == 1  # uniform over the C(n, k) subsets


@pytest.mark.parametrize("n,k", [(5, 2), (6, 3), (8, 1)])
def test_chi_square_with_the_real_random_module(n, k):
    random.seed(2024 + 10 * n + k)
    subsets = [frozenset(c) for c in itertools.combinations(range(n), k)]
    trials = 1000 * len(subsets)
    counts = Counter(frozenset(ref.reservoir_sample(_one_shot(range(n)), k)) for _ in range(trials))
    assert stats.chisquare([counts[s] for s in subsets]).pvalue > 1e-6
    inclusion = Counter(x for s, c in counts.items() for x in s for _ in range(c))
    for x in range(n):
        assert stats.binomtest(inclusion[x], trials, k / n).pvalue > 1e-6


@pytest.mark.parametrize("n,k", [(0, 3), (2, 5), (4, 4), (1, 1), (0, 0), (5, 0)])
def test_short_streams_return_everything(n, k):
    out = ref.reservoir_sample(_one_shot(range(n)), k)
    assert sorted(out) == list(range(min(n, k)))


def test_items_are_the_stream_items():
    random.seed(5)
    items = [object() for _ in range(50)]
    out = ref.reservoir_sample(iter(items), 7)
    assert len(out) == 7 and len({id(x) for x in out}) == 7
    assert all(any(x is y for y in items) for x in out)


@pytest.mark.parametrize("k", [-1, -10])
def test_negative_k_raises(k):
    with pytest.raises(ValueError):
        ref.reservoir_sample(_one_shot(range(5)), k)


def test_reads_the_stream_once():
    reads = []

    def stream():
        for i in range(100):
            reads.append(i)
            yield i

    random.seed(0)
    ref.reservoir_sample(stream(), 10)
    assert reads == list(range(100))


def test_small_peak_memory():
    # tracemalloc slows Python down ~10x, so memory is measured on 10^5 items.
    random.seed(11)
    tracemalloc.start()
    out = ref.reservoir_sample((i for i in range(10**5)), 5)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert len(set(out)) == 5
    assert peak < 50_000, peak  # a list of the stream would take ~4 MB


def test_million_items_in_time():
    random.seed(12)
    t0 = time.perf_counter()
    out = ref.reservoir_sample((i for i in range(10**6)), 5)
    assert time.perf_counter() - t0 < 10
    assert len(set(out)) == 5 and all(0 <= x < 10**6 for x in out)
