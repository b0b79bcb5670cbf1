"""The call spy: records copies, counts, scripts answers, reports the first differing call."""
import numpy as np
import pytest

from harness.engine import Fail, close
from harness.engine.spy import Spy, assert_same_calls, compare_by, with_calls


def test_records_copies_of_the_arguments_and_delegates():
    spy = Spy(lambda xs: len(xs), name="step_fn")
    prefixes = [[0, 1]]
    assert spy(prefixes) == 1
    prefixes[0].append(7)          # the caller mutates what it passed: the record keeps the call
    assert spy.calls[0].args == ([[0, 1]],)
    assert spy.count == 1 and spy.args(0) == [[[0, 1]]]


def test_script_answers_in_order_and_repeats_its_last_answer():
    spy = Spy(name="sample", script=[3, 5])
    assert [spy(np.zeros(2)) for _ in range(4)] == [3, 5, 5, 5]
    assert spy.count == 4


def test_a_spy_needs_something_to_answer_with():
    with pytest.raises(ValueError):
        Spy(name="x")


def test_deepcopy_keeps_one_record():
    import copy

    spy = Spy(name="s", script=[1])
    assert copy.deepcopy([spy])[0] is spy


def _run(seq, name="step_fn"):
    spy = Spy(lambda *a: None, name=name)
    for args in seq:
        spy(*args)
    return spy


def test_same_calls_pass():
    assert_same_calls(_run([([[0]],), ([[0, 1], [0, 2]],)]), _run([([[0]],), ([[0, 1], [0, 2]],)]))


def test_the_first_differing_call_is_reported_with_both_arguments():
    with pytest.raises(Fail) as info:
        assert_same_calls(_run([([[0]],), ([[0, 1], [0, 2]],)]), _run([([[0]],), ([[0, 1], [0, 3]],)]),
                          message="called once per step with the live prefixes")
    text = info.value.message
    assert text.startswith("called once per step with the live prefixes: call 2 of `step_fn`, argument 1")
    assert "[[0, 1], [0, 2]]" in text and "[[0, 1], [0, 3]]" in text


def test_too_many_and_too_few_calls_are_counted_and_shown():
    with pytest.raises(Fail, match=r"called 3 times, expected once; the extra call 2 was `step_fn`\(\[\[0, 5\]\]\)"):
        assert_same_calls(_run([([[0]],)]), _run([([[0]],), ([[0, 5]],), ([[0, 5, 1]],)]))
    with pytest.raises(Fail, match=r"called once, expected twice|called once, expected 2 times"):
        assert_same_calls(_run([([[0]],), ([[0, 1]],)]), _run([([[0]],)]))


def test_arrays_compared_at_a_tolerance():
    expected = _run([(np.array([0.25, 0.75]),)], "sample")
    near = _run([(np.array([0.25, 0.75 + 1e-13]),)], "sample")
    far = _run([(np.array([0.5, 0.5]),)], "sample")
    same = compare_by(close(rtol=1e-9, atol=1e-12, kind="array"))
    assert_same_calls(expected, near, same=same)
    with pytest.raises(Fail, match=r"call 1 of `sample`, argument 1: wrong values"):
        assert_same_calls(expected, far, same=same)
    with pytest.raises(Fail, match="expected array"):   # exact by default
        assert_same_calls(expected, near)


def test_with_calls_checks_the_calls_before_the_result():
    compare = with_calls(lambda e, g: None if e == g else (_ for _ in ()).throw(Fail("wrong result")))
    compare((1, _run([(1,)])), (1, _run([(1,)])))
    with pytest.raises(Fail, match="argument 1"):
        compare((1, _run([(1,)])), (2, _run([(2,)])))
    with pytest.raises(Fail, match="wrong result"):
        compare((1, _run([(1,)])), (2, _run([(1,)])))
