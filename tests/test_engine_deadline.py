"""harness.engine.deadline: the in-child time limit of a promised large case."""
import signal
import time
import types

import numpy as np
import pytest

from harness.engine import Case, Context, Fail, Grader
from harness.engine.deadline import TooSlow, amount, run_within, within


def spin(seconds):
    end = time.perf_counter() + seconds
    n = 0
    while time.perf_counter() < end:
        n += 1
    return n


def test_a_fast_call_returns_its_result_and_time():
    result, elapsed = run_within(2.0, sum, [1, 2, 3])
    assert result == 6 and 0 <= elapsed < 2.0


def test_a_python_loop_is_interrupted_near_the_deadline():
    start = time.perf_counter()
    with pytest.raises(TooSlow):
        run_within(0.2, spin, 30.0)
    assert time.perf_counter() - start < 2.0  # stopped by the alarm, not after 30 s


def test_the_alarm_is_disarmed_and_the_previous_handler_restored():
    before = signal.getsignal(signal.SIGALRM)
    run_within(0.5, sum, [1])
    with pytest.raises(TooSlow):
        run_within(0.1, spin, 5.0)
    assert signal.getsignal(signal.SIGALRM) is before
    assert signal.getitimer(signal.ITIMER_REAL) == (0.0, 0.0)


def test_an_attempt_that_swallows_the_interrupt_is_still_too_slow():
    def stubborn():
        try:
            spin(5.0)
        except BaseException:  # noqa: BLE001 - what a careless attempt does
            spin(0.3)
        return "done"

    with pytest.raises(TooSlow):
        run_within(0.1, stubborn)


def test_not_caught_by_except_exception():
    assert not issubclass(TooSlow, Exception)


@pytest.mark.parametrize("n, text", [(150_994_944, "151 M"), (999, "999"), (12_300, "12.3 k"), (2 * 10**9, "2 G")])
def test_amount_reads_like_the_contract(n, text):
    assert amount(n) == text


def grade(attempt_fn, seconds=0.3):
    grader = Grader("work")
    within(grader, "big case in time", lambda rng: Case(np.arange(4.0)).named("four numbers"), seconds=seconds,
           work=lambda case: 151_000_000, hint="vectorise it")
    ref = types.SimpleNamespace(work=lambda x: x * 2)
    attempt = types.SimpleNamespace(work=attempt_fn)
    check = grader.checks[0]
    assert check.name == "big case in time"
    check.run(Context(grader, attempt, ref, seed=0))


def test_within_passes_a_right_and_fast_attempt():
    grade(lambda x: x + x)


def test_within_reports_the_work_and_the_limit_when_too_slow():
    with pytest.raises(Fail) as info:
        grade(lambda x: spin(10.0))
    assert info.value.message == ("too slow: 151 M multiply-adds in Python loops took more than 0.3 s; "
                                  "vectorise it")
    assert info.value.case == "four numbers"


def test_within_still_compares_the_values():
    with pytest.raises(Fail, match="wrong values") as info:
        grade(lambda x: x * 3)
    assert info.value.case == "four numbers"
