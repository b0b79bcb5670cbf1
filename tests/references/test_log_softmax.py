"""The log_softmax reference against scipy.special.log_softmax, torch and closed forms."""
import numpy as np
import pytest
import scipy.special
import torch

from tests.helpers import load_solution

ref = load_solution("log_softmax")

CASES = [
    ((7,), -1),
    ((7,), 0),
    ((4, 5), -1),
    ((4, 5), 0),
    ((4, 5), 1),
    ((4, 5), -2),
    ((3, 4, 5), -1),
    ((3, 4, 5), 0),
    ((3, 4, 5), 1),
    ((3, 4, 5), -2),
    ((3, 4, 5), -3),
    ((1, 1), -1),
]


@pytest.mark.parametrize("shape,axis", CASES)
@pytest.mark.parametrize("scale", [1.0, 30.0, 1e4])
def test_random_against_scipy_and_torch(shape, axis, scale):
    rng = np.random.default_rng(hash((shape, axis, scale)) % 2**32)
    x = rng.normal(scale=scale, size=shape)
    x0 = x.copy()
    out = ref.log_softmax(x, axis=axis)
    assert out.shape == x.shape and out.dtype == np.float64
    np.testing.assert_array_equal(x, x0)  # input untouched
    np.testing.assert_allclose(out, scipy.special.log_softmax(x, axis=axis), rtol=1e-12, atol=1e-12)
    want = torch.log_softmax(torch.from_numpy(x), dim=axis).numpy()
    np.testing.assert_allclose(out, want, rtol=1e-12, atol=1e-12)
    # Each slice along axis is a log-distribution.
    np.testing.assert_allclose(np.exp(out).sum(axis=axis), 1.0, rtol=1e-12)


def test_default_axis_is_last():
    x = np.random.default_rng(0).normal(size=(3, 4))
    np.testing.assert_array_equal(ref.log_softmax(x), ref.log_softmax(x, axis=-1))


def test_zero_minus_thousand_is_finite():
    out = ref.log_softmax(np.array([0.0, -1000.0]))
    # Closed form: -log(1 + e^-1000) is 0 to every representable digit.
    np.testing.assert_array_equal(out, [0.0, -1000.0])


def test_closed_form_example():
    x = np.array([[1.0, 2.0, 3.0], [0.0, -1000.0, 0.0]])
    lse = 3.0 + np.log(1.0 + np.exp(-1.0) + np.exp(-2.0))
    want = np.array([[1 - lse, 2 - lse, 3 - lse], [-np.log(2), -1000 - np.log(2), -np.log(2)]])
    np.testing.assert_allclose(ref.log_softmax(x), want, rtol=1e-14)


@pytest.mark.parametrize("x", [[1e4, 0.0, -1e4], [-1e4, -1e4 + 1.0], [1000.0, 1000.0]])
def test_huge_logits_closed_form(x):
    x = np.array(x)
    out = ref.log_softmax(x)
    assert np.all(np.isfinite(out))
    np.testing.assert_allclose(out, scipy.special.log_softmax(x), rtol=1e-14, atol=1e-14)


def test_rows_of_very_different_scale():
    x = np.array([[0.1, 0.2, 0.3], [1e4, 1e4 - 1.0, 1e4 - 3.0], [-1e4, -1e4 - 5.0, -1e4 - 0.5]])
    out = ref.log_softmax(x)
    small = np.array([0.1, 0.2, 0.3])
    np.testing.assert_allclose(out[0], small - np.log(np.exp(small).sum()), rtol=1e-14)
    # Shift invariance: row 1 equals the log-softmax of [0, -1, -3].
    np.testing.assert_allclose(out[1], scipy.special.log_softmax([0.0, -1.0, -3.0]), rtol=1e-12)
    np.testing.assert_allclose(out[2], scipy.special.log_softmax([0.0, -5.0, -0.5]), rtol=1e-12)


@pytest.mark.parametrize("shape,axis", [((6,), -1), ((4, 5), 0), ((3, 4, 5), -2)])
def test_float32_in_float32_out(shape, axis):
    x = (np.random.default_rng(1).normal(scale=20.0, size=shape)).astype(np.float32)
    out = ref.log_softmax(x, axis=axis)
    assert out.dtype == np.float32 and out.shape == x.shape
    want = scipy.special.log_softmax(x.astype(np.float64), axis=axis)
    np.testing.assert_allclose(out, want, rtol=1e-5, atol=1e-6)
    t = torch.log_softmax(torch.from_numpy(x), dim=axis).numpy()
    np.testing.assert_allclose(out, t, rtol=1e-5, atol=1e-6)


def test_float32_zero_minus_thousand():
    out = ref.log_softmax(np.array([0.0, -1000.0], dtype=np.float32))
    assert out.dtype == np.float32
    np.testing.assert_array_equal(out, np.array([0.0, -1000.0], dtype=np.float32))


def test_minus_inf_entries_and_no_forbidden_imports():
    out = ref.log_softmax(np.array([[0.0, -np.inf, 0.0]]))
    np.testing.assert_allclose(out, [[-np.log(2), -np.inf, -np.log(2)]])
    src = (ref.__file__ and open(ref.__file__).read())
    assert "scipy" not in src and "torch" not in src
