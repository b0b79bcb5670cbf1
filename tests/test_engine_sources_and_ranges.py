"""Engine primitives for randomized and numeric katas: randomness sources, large-n positions,
float type, input-scaled tolerance, generators of numeric edge cases."""
import random

import numpy as np
import pytest

from harness.engine import Case, Fail, Grader, close
from harness.engine.compare import scaled_to_input
from harness.engine.gen import (SMALL_INT_DTYPES, empty_array_likes, float32_exp_overflow, small_int_array)
from harness.engine.rngs import assert_draws_from_random_module, assert_draws_only_from_argument
from harness.engine.stats import assert_indices_spread, assert_positions_uniform


# ---------------------------------------------------------------- randomness sources
def _fisher_yates(nums, draw):
    for i in range(len(nums) - 1, 0, -1):
        j = draw(i + 1)
        nums[i], nums[j] = nums[j], nums[i]
    return nums


def test_random_module_source_accepts_the_module_functions():
    assert_draws_from_random_module(lambda: _fisher_yates(list(range(20)), random.randrange), seed=5, case="c")


@pytest.mark.parametrize("draw, message", [
    (lambda m: int(np.random.randint(m)), "np.random"),                           # another global generator
    (lambda m: random.Random().randrange(m), "two different results"),           # an OS-seeded instance
    (lambda m: random.SystemRandom().randrange(m), "two different results"),
])
def test_random_module_source_rejects_other_generators(draw, message):
    with pytest.raises(Fail, match=message):
        assert_draws_from_random_module(lambda: _fisher_yates(list(range(20)), draw), seed=5, case="c")


def test_random_module_source_rejects_reseeding_and_never_drawing():
    def reseeds():
        random.seed(7)
        return _fisher_yates(list(range(20)), random.randrange)

    with pytest.raises(Fail, match="whatever the seed"):
        assert_draws_from_random_module(reseeds, seed=5, case="c")
    with pytest.raises(Fail, match="whatever the seed"):
        assert_draws_from_random_module(lambda: list(range(20)), seed=5, case="c")


def test_argument_source_accepts_the_generator_and_leaves_globals_alone():
    assert_draws_only_from_argument(lambda: float(np.random.default_rng(3).random()), case="c")


@pytest.mark.parametrize("run, message", [
    (lambda: float(np.random.default_rng(3).random() + np.random.random()), "np.random"),
    (lambda: float(np.random.default_rng(3).random() + random.random()), "`random` module"),
    (lambda: float(np.random.default_rng().random()), "two different results"),
])
def test_argument_source_rejects_global_draws_and_fresh_generators(run, message):
    with pytest.raises(Fail, match=message):
        assert_draws_only_from_argument(run, case="c")


def test_argument_source_rejects_reseeding_a_global_even_when_reproducible():
    def reseeds():
        np.random.seed(0)
        return float(np.random.random())

    with pytest.raises(Fail, match="np.random"):
        assert_draws_only_from_argument(reseeds, case="c")


# ---------------------------------------------------------------- randomized algorithms at scale
def _capped(m):
    return random.randint(0, 32767) % m


def test_positions_uniform_accepts_a_fair_shuffle_and_rejects_a_capped_draw():
    random.seed(1)
    n = 81_920
    assert_positions_uniform([_fisher_yates(list(range(n)), random.randrange)], n, 5, what="fair")
    with pytest.raises(Fail, match="ended in slots 32768–49151 0 times|ended in slots .* 0 times"):
        assert_positions_uniform([_fisher_yates(list(range(n)), _capped)], n, 5, what="capped")


def test_positions_uniform_false_alarm_rate_is_tiny():
    # 40 fair runs at a lax alpha: the statistic is conservative, so failures stay rare.
    fails = 0
    for seed in range(40):
        random.seed(seed)
        try:
            assert_positions_uniform([_fisher_yates(list(range(1000)), random.randrange)], 1000, 4,
                                     what="fair", alpha=0.01)
        except Fail:
            fails += 1
    assert fails <= 3


def test_indices_spread_rejects_a_sample_tilted_to_the_end():
    rng = np.random.default_rng(0)
    n = 2**17
    assert_indices_spread(rng.choice(n, 1024, replace=False).tolist(), n, 8, what="fair")
    tilted = rng.choice(np.arange(n // 2, n), 1024, replace=False).tolist()
    with pytest.raises(Fail, match="came from positions"):
        assert_indices_spread(tilted, n, 8, what="tilted")


# ---------------------------------------------------------------- types and tolerances
@pytest.mark.parametrize("got", [3, np.int64(3), True])
def test_a_float_is_not_an_int(got):
    with pytest.raises(Fail, match="expected a float"):
        close(kind="float")(3.0, got)


@pytest.mark.parametrize("got", [3.0, np.float64(3.0), np.float32(3.0)])
def test_python_and_numpy_floats_are_floats(got):
    close(kind="float")(3.0, got)


def test_scaled_to_input_allows_the_rounding_of_large_float32_inputs_only():
    x = np.array([700.0, 699.0], dtype=np.float32)
    expected = np.array([-0.3132617, -1.3132617], dtype=np.float32)
    rounded = expected + np.float32(3e-5)  # x - (max + log s) in float32: off by a few ulps of 700
    with pytest.raises(Fail):
        close(kind="array")(expected, rounded)
    scaled_to_input(x, kind="array")(expected, rounded)
    with pytest.raises(Fail):
        scaled_to_input(x, kind="array")(expected, expected + np.float32(1e-3))


def test_cases_compare_for_builds_a_comparator_per_case():
    from types import SimpleNamespace

    from harness.engine.grader import Context

    ref = SimpleNamespace(f=lambda x: x)
    attempt = SimpleNamespace(f=lambda x: x * (1 + 1e-5))  # off by 1e-5 relative
    loose = Grader("f")
    loose.cases("c", [Case(1.0), Case(2.0)], compare_for=lambda case: close(rtol=1e-4, kind="float"))
    loose.checks[0].run(Context(loose, attempt, ref, 0))
    per_case = Grader("f")
    per_case.cases("c", [Case(1.0), Case(2.0)],
                   compare_for=lambda case: close(rtol=1e-4 if case.args[0] == 1.0 else 1e-6, kind="float"))
    with pytest.raises(Fail) as info:
        per_case.checks[0].run(Context(per_case, attempt, ref, 0))
    assert "2.0" in info.value.case and "1.0" not in info.value.case


# ---------------------------------------------------------------- numeric edge generators
def test_float32_exp_overflow_lies_where_float32_exp_overflows_and_float64_does_not():
    rng = np.random.default_rng(0)
    x = float32_exp_overflow(rng, (50, 6))
    assert x.dtype == np.float32
    assert 80 < np.abs(x).min() and np.abs(x).max() < 709.8
    with np.errstate(over="ignore"):
        assert np.isinf(np.exp(x[x > 89])).all() and np.isfinite(np.exp(x.astype(np.float64))).all()


@pytest.mark.parametrize("dtype", SMALL_INT_DTYPES)
def test_small_int_arrays_span_their_dtype(dtype):
    a = small_int_array(np.random.default_rng(0), (2000,), dtype)
    info = np.iinfo(dtype)
    assert a.dtype == np.dtype(dtype) and a.min() < info.min + (info.max - info.min) // 10 and \
        a.max() > info.max - (info.max - info.min) // 10


def test_empty_array_likes_are_all_empty_and_len_misses_some():
    empties = empty_array_likes()
    assert all(np.asarray(e).size == 0 for e in empties)
    assert any(len(e) > 0 for e in empties)  # [[]] and (3, 0): a len() test is not enough


def test_same_value_compares_nested_arrays_and_nan():
    from harness.engine.rngs import same_value

    a = (np.ones(2), {"b": np.array([np.nan])}, [1.5])
    assert same_value(a, (np.ones(2), {"b": np.array([np.nan])}, [1.5]))
    assert not same_value(a, (np.zeros(2), {"b": np.array([np.nan])}, [1.5]))
    assert not same_value(a, (np.ones(2), {"b": np.array([np.nan])}, (1.5,)))
    assert same_value(float("nan"), float("nan")) and not same_value(1.0, 2.0)
