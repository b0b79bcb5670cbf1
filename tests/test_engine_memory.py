"""The peak-memory primitive: it sees numpy buffers allocated during the call, not before."""
import tracemalloc

import numpy as np
import pytest

from harness.engine import Fail
from harness.engine.memory import MiB, assert_peak_below, mib, peak_during


def test_peak_counts_a_temporary_array_and_not_the_inputs():
    big = np.ones((1024, 1024))  # 8 MiB that exists before the call: not counted

    def work():
        tmp = big * 2.0            # 8 MiB, freed before returning
        return float(tmp.sum())

    result, peak = peak_during(work)
    assert result == 2.0 * 1024 * 1024
    assert 8 * MiB <= peak < 9 * MiB


def test_a_small_call_has_a_small_peak():
    _, peak = peak_during(lambda: np.arange(10).sum())
    assert peak < 64 * 1024


def test_nested_tracing_is_left_running_and_measures_only_the_call():
    tracemalloc.start()
    try:
        keep = np.ones(2 * 1024 * 1024 // 8)  # 2 MiB allocated while tracing, before the call
        _, peak = peak_during(lambda: np.zeros(4 * MiB // 8) + 1.0)
        assert tracemalloc.is_tracing()
        assert 4 * MiB <= peak < 5 * MiB
        del keep
    finally:
        tracemalloc.stop()
    assert not tracemalloc.is_tracing()


def test_under_the_limit_returns_the_result():
    assert assert_peak_below(lambda: 41, 1 * MiB) == 41


def test_over_the_limit_names_the_figure_the_limit_and_the_largest_matching_cause():
    causes = [(128 * MiB, "an N × M score matrix was allocated"), (4 * MiB, "a few blocks were kept")]
    with pytest.raises(Fail) as info:
        assert_peak_below(lambda: np.zeros(16 * MiB // 8) + 1.0, 8 * MiB,
                          causes=causes, case="f(big)")
    fail = info.value
    assert fail.message.startswith("peak 16 MiB during the call, limit 8.0 MiB: a few blocks were kept")
    assert fail.case == "f(big)"


def test_no_cause_below_the_peak_leaves_the_figures_alone():
    with pytest.raises(Fail, match=r"^peak 4\.0 MiB during the call, limit 1\.0 MiB$"):
        assert_peak_below(lambda: np.zeros(4 * MiB // 8) + 1.0, 1 * MiB, causes=[(64 * MiB, "never")])


def test_mib_rendering():
    assert mib(131 * MiB) == "131 MiB"
    assert mib(0.4 * MiB) == "0.4 MiB"
