"""The linear_regression reference against scipy's LAPACK least squares (gelsd / gelss), the
optimality conditions of the objective and ill-conditioned problems with a known answer."""
import numpy as np
import pytest
import scipy.linalg

from harness.engine.conditioning import with_condition
from tests.helpers import load_solution

ref = load_solution("linear_regression")


def lapack(X, y, l2, fit_intercept, driver="gelsd"):
    """Minimum-norm least squares on the centred data stacked on √l2·I (b = ȳ − x̄·w)."""
    n, d = X.shape
    xm, ym = (X.mean(0), y.mean()) if fit_intercept else (np.zeros(d), 0.0)
    A = np.vstack([X - xm, np.sqrt(l2) * np.eye(d)])
    w = scipy.linalg.lstsq(A, np.r_[y - ym, np.zeros(d)], lapack_driver=driver)[0]
    return w, (ym - xm @ w) if fit_intercept else 0.0


def ridge_closed_form(X, y, l2, fit_intercept):
    """Normal equations of the full objective over (w, b), b unpenalised (well conditioned here)."""
    n, d = X.shape
    A = np.c_[X, np.ones(n)] if fit_intercept else X
    P = l2 * np.eye(A.shape[1])
    if fit_intercept:
        P[-1, -1] = 0.0
    sol = scipy.linalg.solve(A.T @ A + P, A.T @ y, assume_a="pos")
    return (sol[:d], sol[d]) if fit_intercept else (sol, 0.0)


def data(rng, n, d):
    X = rng.normal(scale=2.0, size=(n, d)) + rng.uniform(-100, 100, size=d)
    return X, X @ rng.normal(size=d) + 3.0 + rng.normal(size=n)


@pytest.mark.parametrize("n,d", [(50, 5), (20, 1), (200, 12)])
@pytest.mark.parametrize("l2", [0.0, 1e-3, 0.5, 1.0, 100.0])
@pytest.mark.parametrize("fit_intercept", [True, False])
def test_full_rank_against_lapack_and_closed_form(n, d, l2, fit_intercept):
    rng = np.random.default_rng(n * 7 + d)
    X, y = data(rng, n, d)
    X0, y0 = X.copy(), y.copy()
    w, b = ref.fit_linear_regression(X, y, l2, fit_intercept)
    np.testing.assert_array_equal(X, X0)
    np.testing.assert_array_equal(y, y0)
    assert w.dtype == np.float64 and w.shape == (d,) and type(b) is float
    for want_w, want_b in (lapack(X, y, l2, fit_intercept), ridge_closed_form(X, y, l2, fit_intercept)):
        np.testing.assert_allclose(w, want_w, rtol=1e-6, atol=1e-9)
        assert b == pytest.approx(want_b, rel=1e-6, abs=1e-9)
    if not fit_intercept:
        assert b == 0.0


@pytest.mark.parametrize("n,d", [(5, 12), (3, 3), (2, 7), (2, 2)])
@pytest.mark.parametrize("fit_intercept", [True, False])
def test_rank_deficient_is_minimum_norm(n, d, fit_intercept):
    rng = np.random.default_rng(n + 10 * d)
    X = rng.integers(-9, 10, size=(n, d)) + rng.integers(-50, 51, size=d)
    X[-1] -= X.sum(axis=0) % n  # exact centring: integer means
    X = X.astype(float)
    y = rng.normal(size=n)
    w, b = ref.fit_linear_regression(X, y, 0.0, fit_intercept)
    for driver in ("gelsd", "gelss"):
        want_w, want_b = lapack(X, y, 0.0, fit_intercept, driver)
        np.testing.assert_allclose(w, want_w, rtol=1e-6, atol=1e-9)
        assert b == pytest.approx(want_b, rel=1e-6, abs=1e-9)
    # optimality: the residual is orthogonal to the centred columns, w lies in their row space
    xm = X.mean(0) if fit_intercept else 0.0
    Xc = X - xm
    resid = X @ w + b - y
    np.testing.assert_allclose(Xc.T @ resid, 0.0, atol=1e-8)
    null = scipy.linalg.null_space(Xc)
    np.testing.assert_allclose(null.T @ w, 0.0, atol=1e-9)


def test_duplicate_columns_share_the_weight():
    rng = np.random.default_rng(4)
    x = rng.normal(size=(30, 1)) + 40.0
    y = 3.0 * x[:, 0] + 1.0
    w, b = ref.fit_linear_regression(np.c_[x, x], y)
    np.testing.assert_allclose(w, [1.5, 1.5], rtol=1e-9)
    assert b == pytest.approx(1.0, rel=1e-7)


def test_one_sample():
    w, b = ref.fit_linear_regression(np.array([[3.0, -2.0]]), np.array([7.5]))
    np.testing.assert_array_equal(w, [0.0, 0.0])
    assert b == 7.5
    w, b = ref.fit_linear_regression(np.array([[3.0, 4.0]]), np.array([10.0]), fit_intercept=False)
    np.testing.assert_allclose(w, [1.2, 1.6], rtol=1e-12)  # x · 10 / ‖x‖²
    assert b == 0.0


@pytest.mark.parametrize("fit_intercept", [True, False])
def test_ill_conditioned_recovers_the_exact_answer(fit_intercept):
    rng = np.random.default_rng(0)
    for _ in range(5):
        X = with_condition(rng, 40, 6, 1e10, centred=fit_intercept)
        if fit_intercept:
            X = X + rng.uniform(-3, 3, size=6)
        w_true, b_true = rng.normal(size=6), (2.5 if fit_intercept else 0.0)
        w, b = ref.fit_linear_regression(X, X @ w_true + b_true, 0.0, fit_intercept)
        assert np.linalg.norm(w - w_true) <= 2e-5 * np.linalg.norm(w_true)
        assert abs(b - b_true) <= 2e-5 * (1 + abs(b_true))


@pytest.mark.parametrize("l2", [-1.0, -1e-9])
def test_negative_l2_raises(l2):
    with pytest.raises(ValueError):
        ref.fit_linear_regression(np.ones((3, 1)), np.ones(3), l2)
