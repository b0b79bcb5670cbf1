"""The flash_attention reference against scipy's softmax / logsumexp of the full score matrix."""
import math
import tracemalloc

import numpy as np
import pytest
from scipy.special import logsumexp, softmax

from tests.helpers import load_solution

ref = load_solution("flash_attention")


def full_attention(q, k, v, causal=False):
    s = q @ k.T / math.sqrt(q.shape[1])
    if causal:
        s = np.where(np.tril(np.ones((len(q), len(k)), dtype=bool)), s, -np.inf)
    return softmax(s, axis=1) @ v, logsumexp(s, axis=1)


def _check(q, k, v, block_size, causal=False, rtol=1e-9, atol=1e-12):
    copies = [a.copy() for a in (q, k, v)]
    out, lse = ref.flash_attention(q, k, v, block_size=block_size, causal=causal)
    e_out, e_lse = full_attention(q, k, v, causal)
    assert out.dtype == np.float64 and lse.dtype == np.float64
    assert out.shape == e_out.shape and lse.shape == (len(q),)
    np.testing.assert_allclose(out, e_out, rtol=rtol, atol=atol)
    np.testing.assert_allclose(lse, e_lse, rtol=rtol, atol=atol)
    for before, after in zip(copies, (q, k, v)):
        np.testing.assert_array_equal(before, after)


@pytest.mark.parametrize("block_size", [1, 2, 5, 7, 16, 30, 64, 1000])
@pytest.mark.parametrize("causal", [False, True])
def test_random_shapes(block_size, causal):
    rng = np.random.default_rng(block_size)
    for n, m, d, dv in [(1, 1, 1, 1), (3, 7, 2, 5), (17, 17, 8, 3), (65, 130, 64, 16), (300, 300, 13, 1),
                        (128, 64, 32, 8)]:
        if causal:
            m = n
        q, k, v = rng.normal(size=(n, d)), rng.normal(size=(m, d)), rng.normal(size=(m, dv))
        _check(q, k, v, block_size, causal)


def test_scores_of_both_signs_around_1e3_and_a_late_jump():
    rng = np.random.default_rng(3)
    d = 4
    q = rng.normal(size=(6, d))
    q[:3] *= 400.0                         # some rows score around ±1e3
    k = rng.normal(size=(40, d))
    k[-1] = q[0] * 3.0                     # a max that jumps late, in the last block
    v = rng.normal(size=(40, 3))
    for b in (1, 7, 16, 64):
        _check(q, k, v, b)
    s = q @ k.T / 2.0
    assert s.max() > 1e3 and s.min() < -1e3
    row = np.full((1, d), -1.0) * 300.0
    _check(row, np.abs(rng.normal(size=(9, d))), rng.normal(size=(9, 2)), 4)  # all scores far below 0


def test_memory_stays_blocked():
    rng = np.random.default_rng(0)
    n, d = 4096, 64
    q, k, v = (rng.normal(size=(n, d)) for _ in range(3))
    for causal in (False, True):
        tracemalloc.start()
        ref.flash_attention(q, k, v, causal=causal)
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        assert peak < 16 * 2**20, peak
