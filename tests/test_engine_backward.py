"""harness.engine.backward: named gradient comparison, mistake naming, autograd ground truth."""
import numpy as np
import pytest
import torch

from harness.engine import Case, Fail
from harness.engine.backward import autograd_vjp, compare_gradient, gradients, mistakes, upstream

NAMES = ("dx", "dgamma", "dbeta")
expected = (np.arange(6.0).reshape(2, 3), np.array([1.0, 2.0, 3.0]), np.array([0.5, -0.5, 0.0]))
compare = gradients(NAMES, {"dgamma": "gamma"}, returns="backward(dy, cache)")


def test_equal_gradients_pass_and_lists_are_read_as_arrays():
    compare(expected, tuple(e.copy() for e in expected))
    compare(expected, [expected[0].copy(), [1.0, 2.0, 3.0], expected[2].copy()])


def test_the_wrong_gradient_is_named_with_where_and_expected_vs_got():
    got = (expected[0].copy(), np.array([1.0, 2.5, 3.0]), expected[2].copy())
    with pytest.raises(Fail) as info:
        compare(expected, got)
    fail = info.value
    assert fail.message == "`dgamma` is wrong"
    assert "1 of 3 entries of dgamma differ" in fail.diff and "at [1]: expected 2, got 2.5" in fail.diff


def test_a_wrong_shape_names_the_input_it_must_match():
    got = (expected[0].copy(), np.ones((2, 3)), expected[2].copy())
    with pytest.raises(Fail, match=r"`dgamma` has shape \(2, 3\); expected \(3,\) \(the shape of gamma\)"):
        compare(expected, got)


def test_a_result_that_is_not_a_tuple_of_the_right_length_says_what_to_return():
    with pytest.raises(Fail, match=r"backward\(dy, cache\) should return a tuple \(dx, dgamma, dbeta\)"):
        compare(expected, expected[:2])
    with pytest.raises(Fail, match="should be a numpy array"):
        compare_gradient("dx", expected[0], "oops")


def test_tolerance_is_the_contract_float64_one():
    compare_gradient("dx", np.array([1.0]), np.array([1.0 + 5e-7]))
    with pytest.raises(Fail):
        compare_gradient("dx", np.array([1.0]), np.array([1.0 + 5e-6]))


def test_mistakes_names_the_first_matching_suspect_and_skips_ones_equal_to_the_truth():
    case = Case(x=np.array([1.0, 2.0]))
    right = (np.array([1.0, 2.0]), (np.array([3.0, 4.0]),))
    suspects = lambda c: [((0,), "looks like the right y", right[0].copy()),  # noqa: E731
                          ((1, 0), "dx doubled", 2 * right[1][0]),
                          ((5,), "a path that does not exist", np.zeros(2))]
    explain = mistakes(suspects, truth=lambda c: right)
    assert explain(case, (right[0], (2 * right[1][0],))) == "dx doubled"
    assert explain(case, right) is None
    # without the truth, a suspect equal to the right part would be blamed
    assert mistakes(suspects)(case, right) == "looks like the right y"
    assert explain(case, "not a tuple") is None


def test_upstream_is_seeded_float64():
    a, b = upstream(np.random.default_rng(1), (2, 3)), upstream(np.random.default_rng(1), (2, 3))
    assert a.dtype == np.float64 and a.shape == (2, 3) and np.array_equal(a, b)


def test_autograd_vjp_matches_closed_forms():
    rng = np.random.default_rng(0)
    x, w, dy = rng.standard_normal((3, 4)), rng.standard_normal(4), rng.standard_normal((3, 4))
    y, grads = autograd_vjp(lambda x, w, k: torch.tanh(x * w) * k, {"x": x, "w": w, "k": 2.0}, dy)
    sech2 = 1 - np.tanh(x * w) ** 2
    np.testing.assert_allclose(y, 2 * np.tanh(x * w), rtol=1e-12)
    np.testing.assert_allclose(grads["x"], 2 * dy * sech2 * w, rtol=1e-12)
    np.testing.assert_allclose(grads["w"], (2 * dy * sech2 * x).sum(0), rtol=1e-12)
    _, only = autograd_vjp(lambda x, w: x * w, {"x": x, "w": w}, dy, wrt=["w"])
    assert set(only) == {"w"}


# ----------------------------------------------------------------- built-in as the yardstick (torch katas)
from harness.engine.backward import builtin_call, versus  # noqa: E402
from harness.engine.torchkit import close_with_grads  # noqa: E402


class Module:
    def __init__(self, fn):
        self.square = fn


def test_builtin_call_grades_against_the_builtin_whatever_module_is_passed():
    call = builtin_call("square", lambda x: x * x, wrt=[0])
    compare = versus(close_with_grads({0: "`x`"}))
    case = Case(torch.tensor([1.0, -2.0, 3.0], dtype=torch.float64))
    right, wrong = call(Module(lambda x: x ** 2), case.fresh()), call(Module(lambda x: x * x + 1e-3), case.fresh())
    compare(wrong, right)  # the first argument (the reference's call) is not the yardstick
    with pytest.raises(Fail, match="wrong values"):
        compare(right, wrong)
    detached = call(Module(lambda x: (x * x).detach()), case.fresh())
    with pytest.raises(Fail, match="not differentiable"):
        compare(right, detached)


def test_builtin_call_runs_the_builtin_first_on_its_own_copy():
    def spoils(x):
        out = x.detach() ** 2
        x.data.fill_(7.0)  # an attempt that scribbles on its input
        return out

    result = builtin_call("square", lambda x: x * x, wrt=())(Module(spoils), Case(torch.tensor([2.0])))
    assert result.truth.value.tolist() == [4.0] and result.got.value.tolist() == [4.0]


def test_versus_can_compare_one_part():
    from harness.engine import close

    call = builtin_call("square", lambda x: x * x, wrt=())
    got = call(Module(lambda x: torch.full_like(x, float("nan"))), Case(torch.tensor([0.0, 1.0])))
    with pytest.raises(Fail, match="wrong values") as info:
        versus(close(kind="tensor"), part=lambda result: result.value)(got, got)
    assert "nan or inf in your result" in info.value.diff
