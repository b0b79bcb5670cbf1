"""The reference π estimator: exact counting on known points, and binomial statistics."""
import math
import random

import numpy as np
import pytest
from scipy import stats

from tests.helpers import load_solution

ref = load_solution("monte_carlo_pi")
P = math.pi / 4


def _sigma(n):
    return 4 * math.sqrt(P * (1 - P) / n)


class _ScriptedRng:
    """A Generator stand-in whose random() hands out a fixed sequence of numbers."""

    def __init__(self, values):
        self.values = np.asarray(values, dtype=float)
        self.pos = 0

    def random(self, size=None):
        m = 1 if size is None else int(np.prod(size))
        out = self.values[self.pos:self.pos + m]
        assert len(out) == m, "the estimator drew more numbers than expected"
        self.pos += m
        return out.reshape(size) if size is not None else float(out[0])


def test_counts_exactly_the_points_inside():
    # The reference draws all x then all y; count points inside by brute force.
    rng = np.random.default_rng(0)
    xs, ys = rng.random(1000), rng.random(1000)
    xs[:5] = [0.0, 1.0, 0.6, 0.8, 0.999]
    ys[:5] = [1.0, 0.0, 0.8, 0.6, 0.1]  # on the circle (<= 1 counts) or just outside
    expected = sum(1 for x, y in zip(xs, ys) if x * x + y * y <= 1.0)
    fake = _ScriptedRng(np.concatenate([xs, ys]))
    assert ref.estimate_pi(1000, fake) == 4.0 * expected / 1000
    assert fake.pos == 2000


@pytest.mark.parametrize("n,seed", [(10**4, 0), (10**4, 1), (10**6, 0), (10**6, 7)])
def test_within_six_sigma(n, seed):
    est = ref.estimate_pi(n, np.random.default_rng(seed))
    assert isinstance(est, float)
    assert abs(est - math.pi) <= 6 * _sigma(n)


def test_distribution_is_binomial():
    # 400 independent estimates at n = 1000: the counts must look Binomial(n, pi/4).
    n = 1000
    counts = [round(ref.estimate_pi(n, np.random.default_rng(s)) * n / 4) for s in range(400)]
    mean, var = np.mean(counts), np.var(counts, ddof=1)
    assert abs(mean - n * P) < 6 * math.sqrt(n * P * (1 - P) / 400)
    assert stats.chi2.sf(var * 399 / (n * P * (1 - P)), 399) > 1e-6
    assert stats.chi2.cdf(var * 399 / (n * P * (1 - P)), 399) > 1e-6


def test_same_seed_same_value_and_only_rng_is_used():
    np.random.seed(1)
    random.seed(1)
    a = ref.estimate_pi(12345, np.random.default_rng(42))
    np.random.seed(2)
    random.seed(2)
    b = ref.estimate_pi(12345, np.random.default_rng(42))
    assert a == b
    rng = np.random.default_rng(42)
    before = rng.bit_generator.state
    ref.estimate_pi(10, rng)
    assert rng.bit_generator.state != before
    assert ref.estimate_pi(12345, np.random.default_rng(43)) != a


def test_chunking_matches_unchunked(monkeypatch):
    # Chunk boundaries must not change which numbers are drawn or how they are counted.
    monkeypatch.setattr(ref, "_CHUNK", 1000)
    xs = np.random.default_rng(3).random((5, 2, 1000))  # 5 chunks of (x, y)
    expected = int(np.count_nonzero(xs[:, 0] ** 2 + xs[:, 1] ** 2 <= 1.0))
    fake = _ScriptedRng(xs.ravel())
    assert ref.estimate_pi(5000, fake) == 4.0 * expected / 5000


@pytest.mark.parametrize("n", [0, -1, -100])
def test_non_positive_n_raises(n):
    with pytest.raises(ValueError):
        ref.estimate_pi(n, np.random.default_rng(0))


def test_ten_million_points():
    est = ref.estimate_pi(10**7, np.random.default_rng(5))
    assert abs(est - math.pi) <= 6 * _sigma(10**7)
