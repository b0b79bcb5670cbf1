"""The mse reference against torch.nn.functional.mse_loss and a plain Python loop."""
import math

import numpy as np
import pytest
import torch

from tests.helpers import load_solution

ref = load_solution("mse")


def brute(y_true, y_pred):
    a = np.asarray(y_true, dtype=float).ravel().tolist()
    b = np.asarray(y_pred, dtype=float).ravel().tolist()
    return math.fsum((x - y) ** 2 for x, y in zip(a, b)) / len(a)


@pytest.mark.parametrize("shape", [(1,), (5,), (100,), (3, 4), (7, 1), (1, 7), (2, 3, 4)])
def test_random_arrays_against_torch(shape):
    rng = np.random.default_rng(sum(shape))
    a, b = rng.normal(size=shape), rng.normal(scale=3.0, size=shape)
    a0, b0 = a.copy(), b.copy()
    out = ref.mse(a, b)
    assert type(out) is float
    np.testing.assert_array_equal(a, a0)
    np.testing.assert_array_equal(b, b0)
    want = torch.nn.functional.mse_loss(torch.from_numpy(b), torch.from_numpy(a)).item()
    assert out == pytest.approx(want, rel=1e-12)
    assert out == pytest.approx(brute(a, b), rel=1e-12)


def test_examples_closed_form():
    assert ref.mse([3, -0.5, 2, 7], [2.5, 0.0, 2, 8]) == 0.375
    assert ref.mse([1, 2, 3], [1, 2, 5]) == pytest.approx(4 / 3, rel=1e-15)
    assert ref.mse(np.array([[1.0, 2.0], [3.0, 4.0]]), np.zeros((2, 2))) == 7.5
    assert ref.mse([[1, 2], [3, 4]], [[1, 2], [3, 4]]) == 0.0


def test_int_lists_int_arrays_and_mixed_kinds():
    rng = np.random.default_rng(3)
    a = rng.integers(-50, 50, size=(4, 6))
    b = rng.integers(-50, 50, size=(4, 6))
    want = brute(a, b)
    assert ref.mse(a.tolist(), b.tolist()) == pytest.approx(want, rel=1e-14)
    assert ref.mse(a, b) == pytest.approx(want, rel=1e-14)
    assert ref.mse(a.tolist(), b.astype(float)) == pytest.approx(want, rel=1e-14)
    assert type(ref.mse(a, b)) is float


def test_unsigned_ints_do_not_wrap():
    a = np.array([3, 0, 255], dtype=np.uint8)
    b = np.array([5, 255, 0], dtype=np.uint8)
    assert ref.mse(a, b) == pytest.approx((4 + 255**2 + 255**2) / 3, rel=1e-15)


@pytest.mark.parametrize(
    "a,b",
    [
        (np.ones(3), np.ones((3, 1))),
        (np.ones((3, 1)), np.ones(3)),
        (np.ones(3), np.ones(4)),
        (np.ones((2, 3)), np.ones((3, 2))),
        ([1, 2, 3], [[1], [2], [3]]),
        (np.ones(3), 1.0),
    ],
)
def test_shape_mismatch_raises(a, b):
    with pytest.raises(ValueError):
        ref.mse(a, b)


@pytest.mark.parametrize("a,b", [([], []), (np.empty((0, 3)), np.empty((0, 3))), (np.empty(0), [])])
def test_empty_raises(a, b):
    with pytest.raises(ValueError):
        ref.mse(a, b)


def test_lists_not_modified():
    a, b = [1.0, 2.0], [0.0, 0.0]
    ref.mse(a, b)
    assert a == [1.0, 2.0] and b == [0.0, 0.0]
