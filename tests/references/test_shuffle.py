"""The reference Fisher–Yates shuffle, proved uniform by exhaustive enumeration."""
import itertools
import math
import random
import time
from collections import Counter

import pytest
from scipy import stats

from tests.helpers import load_solution

ref = load_solution("shuffle")


class _Enumerator:
    """Stands in for the `random` module: replays one fixed sequence of choices."""

    def __init__(self, choices):
        self.choices = list(choices)
        self.calls = []

    def randrange(self, stop):
        self.calls.append(stop)
        return self.choices[len(self.calls) - 1]


def _all_runs(n, monkeypatch):
    """Every possible sequence of random choices the reference can make for n items."""
    # Fisher–Yates asks randrange(n), randrange(n - 1), ..., randrange(2): n! runs.
    ranges = [range(i + 1) for i in range(n - 1, 0, -1)]
    for choices in itertools.product(*ranges):
        fake = _Enumerator(choices)
        monkeypatch.setattr(ref, "random", fake)
        out = ref.shuffle(list(range(n)))
        assert fake.calls == [i + 1 for i in range(n - 1, 0, -1)]
        yield tuple(out)


@pytest.mark.parametrize("n", [1, 2, 3, 4, 5, 6])
def test_every_order_exactly_once(n, monkeypatch):
    # Each of the n! equally likely choice sequences yields a different order, so every
    # order has probability exactly 1/n!.
    counts = Counter(_all_runs(n, monkeypatch))
    assert set(counts) == set(itertools.permutations(range(n)))
    assert set(counts.values()) == {1}


@pytest.mark.parametrize("n", [3, 4])
def test_chi_square_with_the_real_random_module(n):
    random.seed(12345 + n)
    trials = 6000 * math.factorial(n) // 6
    counts = Counter(tuple(ref.shuffle(list(range(n)))) for _ in range(trials))
    observed = [counts[p] for p in itertools.permutations(range(n))]
    assert sum(observed) == trials
    assert stats.chisquare(observed).pvalue > 1e-6


def test_position_marginals_large_n():
    # For n = 10 each item lands in each slot with probability 1/10.
    random.seed(7)
    n, trials = 10, 20000
    table = [[0] * n for _ in range(n)]
    for _ in range(trials):
        for pos, item in enumerate(ref.shuffle(list(range(n)))):
            table[item][pos] += 1
    for row in table:
        assert stats.chisquare(row).pvalue > 1e-8


def test_in_place_same_object_and_permutation():
    random.seed(1)
    nums = ["a", "b", "b", 3, None, 3.5]
    before = list(nums)
    out = ref.shuffle(nums)
    assert out is nums
    assert Counter(map(repr, out)) == Counter(map(repr, before))


@pytest.mark.parametrize("nums", [[], [42]])
def test_trivial_lists(nums):
    before = list(nums)
    out = ref.shuffle(nums)
    assert out is nums and out == before


def test_reproducible_under_seed():
    random.seed(99)
    a = ref.shuffle(list(range(20)))
    random.seed(99)
    b = ref.shuffle(list(range(20)))
    assert a == b


def test_large_list_linear_time():
    nums = list(range(10**5))
    random.seed(3)
    t0 = time.perf_counter()
    out = ref.shuffle(nums)
    assert time.perf_counter() - t0 < 2.0
    assert out is nums and sorted(out) == list(range(10**5))
    assert out != list(range(10**5))
