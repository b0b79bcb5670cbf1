"""harness.engine.conditioning: ill-conditioned inputs with known answers, float-like and
sign/order-aware comparisons."""
import types

import numpy as np
import pytest

from harness.engine import Fail
from harness.engine.conditioning import (assert_recovers, float_like, orthonormal_columns, relative_error,
                                         signed_row_match, with_condition)
from tests.helpers import load_path


@pytest.mark.parametrize("n,d,cond", [(10, 3, 1e3), (40, 6, 1e10), (7, 1, 1.0), (200, 12, 1e8)])
@pytest.mark.parametrize("centred", [False, True])
def test_with_condition_has_the_asked_condition_number(n, d, cond, centred):
    X = with_condition(np.random.default_rng(0), n, d, cond, centred=centred)
    assert X.shape == (n, d) and X.dtype == np.float64
    s = np.linalg.svd(X, compute_uv=False)
    assert s[0] == pytest.approx(1.0, rel=1e-9)
    assert s[0] / s[-1] == pytest.approx(cond, rel=1e-3)
    if centred:
        np.testing.assert_allclose(X.sum(axis=0), 0.0, atol=1e-13)
        shifted = X + np.arange(d) * 10.0
        assert np.linalg.cond(shifted - shifted.mean(0)) == pytest.approx(cond, rel=1e-2)


def test_with_condition_needs_more_rows_than_columns():
    with pytest.raises(ValueError, match="n > d"):
        with_condition(np.random.default_rng(0), 3, 3, 10.0)
    with pytest.raises(ValueError, match=r"n > d \+ 1"):
        with_condition(np.random.default_rng(0), 4, 3, 10.0, centred=True)


def test_relative_error():
    assert relative_error([3.0, 4.0], [0.0, 0.0], scale=5.0) == pytest.approx(1.0)
    assert relative_error([1.0, 1.0], [1.0, 0.0]) == pytest.approx(1.0)
    assert relative_error([0.0], [0.0]) == 0.0
    assert relative_error([1.0], [0.0]) == float("inf")


def _problem(seed=0):
    rng = np.random.default_rng(seed)
    X = with_condition(rng, 40, 6, 1e10)
    w = rng.normal(size=6)
    return X, w, X @ w


def _ctx(fit):
    return types.SimpleNamespace(attempt=types.SimpleNamespace(fit=fit))


def test_assert_recovers_accepts_lstsq_and_rejects_the_normal_equations():
    X, w, y = _problem()
    lstsq = _ctx(lambda: np.linalg.lstsq(X, y, rcond=None)[0])
    assert_recovers(lstsq, lambda a: {"w": a.fit()}, {"w": w}, setting="on X", tol=1e-3)
    normal = _ctx(lambda: np.linalg.pinv(X.T @ X) @ X.T @ y)
    with pytest.raises(Fail, match=r"^on X your w is off by \d.*% of ‖w\*‖; allowed 0\.1%: squares it$") as info:
        assert_recovers(normal, lambda a: {"w": a.fit()}, {"w": w}, setting="on X", tol=1e-3, cause="squares it")
    assert info.value.expected and info.value.got


def test_assert_recovers_scales_nan_and_shapes():
    ctx = _ctx(lambda: (np.array([1.0, 2.0]), 5.5))
    run = lambda a: dict(zip("wb", a.fit()))  # noqa: E731
    assert_recovers(ctx, run, {"w": [1.0, 2.0], "b": 5.0}, setting="s", tol=0.1, scales={"b": (6.0, "1 + |b*|")})
    with pytest.raises(Fail, match=r"your b is off by 50% of 1 \+ \|b\*\|; allowed 10%"):
        assert_recovers(ctx, run, {"w": [1.0, 2.0], "b": 5.0}, setting="s", tol=0.1, scales={"b": (1.0, "1 + |b*|")})
    nan = _ctx(lambda: (np.array([np.nan, 2.0]), 5.0))
    with pytest.raises(Fail, match="your w is not finite"):
        assert_recovers(nan, run, {"w": [1.0, 2.0], "b": 5.0}, setting="s", tol=0.1)
    flat = _ctx(lambda: (np.array([[1.0, 2.0]]), 5.0))
    with pytest.raises(Fail, match=r"your w is numpy.ndarray .*shape \(1, 2\)\); expected the shape \(2,\)"):
        assert_recovers(flat, run, {"w": [1.0, 2.0], "b": 5.0}, setting="s", tol=0.1)


def test_assert_recovers_turns_a_singular_matrix_into_a_failure_with_the_line(tmp_path):
    path = tmp_path / "attempt.py"
    path.write_text("import numpy as np\n\n\ndef fit():\n    return np.linalg.inv(np.zeros((2, 2)))\n")
    module = load_path(path, "_conditioning_attempt")
    ctx = types.SimpleNamespace(attempt=module)
    with pytest.raises(Fail, match=r"on X your code raised LinAlgError: Singular matrix \(line 5 of your file\): why"):
        assert_recovers(ctx, lambda a: {"w": a.fit()}, {"w": [1.0]}, setting="on X", tol=1e-3, cause="why")


def test_float_like_accepts_every_kind_of_float_and_nothing_else():
    compare = float_like()
    for got in (1.5, np.float64(1.5), np.array(1.5), np.float32(1.5)):
        compare(1.5, got)
    with pytest.raises(Fail, match=r"expected a float, got numpy.ndarray .*shape \(1,\)"):
        compare(1.5, np.array([1.5]))
    with pytest.raises(Fail, match="expected a float"):
        compare(1.5, "1.5")
    with pytest.raises(Fail, match="wrong value"):
        compare(1.5, np.array(1.6))


def test_signed_row_match():
    e = np.array([[1.0, 2.0, 0.0], [0.0, 1.0, -3.0], [4.0, 0.0, 1.0]])
    assert signed_row_match(e, e) == [(0, 1), (1, 1), (2, 1)]
    assert signed_row_match(e, e[::-1]) == [(2, 1), (1, 1), (0, 1)]
    assert signed_row_match(e, e * np.array([[1.0], [-1.0], [1.0]])) == [(0, 1), (1, -1), (2, 1)]
    assert signed_row_match(e, e + 1e-3) is None
    assert signed_row_match(e, e[:2]) is None
    twice = np.array([[1.0, 0.0], [1.0, 0.0]])
    assert signed_row_match(np.array([[1.0, 0.0], [0.0, 1.0]]), twice) is None  # each row used once


@pytest.mark.parametrize("n,r,centred", [(5, 5, False), (5, 4, True), (30, 3, True), (1, 1, False)])
def test_orthonormal_columns(n, r, centred):
    Q = orthonormal_columns(np.random.default_rng(1), n, r, centred=centred)
    assert Q.shape == (n, r)
    np.testing.assert_allclose(Q.T @ Q, np.eye(r), atol=1e-12)
    if centred:
        np.testing.assert_allclose(Q.sum(axis=0), 0.0, atol=1e-12)
    with pytest.raises(ValueError, match="r <= n"):
        orthonormal_columns(np.random.default_rng(1), n, n + 1 - centred, centred=centred)
