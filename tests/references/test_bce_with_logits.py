"""The bce_with_logits reference against torch, the probability form and closed forms."""
import math

import numpy as np
import pytest
import torch
import torch.nn.functional as F

from tests.helpers import load_solution

ref = load_solution("bce_with_logits")


def torch_bce(y, z):
    return F.binary_cross_entropy_with_logits(torch.from_numpy(np.asarray(z, float)), torch.from_numpy(np.asarray(y, float))).item()


@pytest.mark.parametrize("shape", [(1,), (10,), (300,), (4, 5), (6, 1)])
@pytest.mark.parametrize("scale", [1.0, 10.0, 100.0, 1e4])
@pytest.mark.parametrize("soft", [False, True])
def test_random_against_torch(shape, scale, soft):
    rng = np.random.default_rng(int(sum(shape) * 7 + scale + soft))
    y = rng.uniform(size=shape) if soft else rng.integers(0, 2, size=shape).astype(float)
    z = rng.normal(scale=scale, size=shape)
    y0, z0 = y.copy(), z.copy()
    out = ref.bce_with_logits(y, z)
    assert type(out) is float and math.isfinite(out)
    np.testing.assert_array_equal(y, y0)
    np.testing.assert_array_equal(z, z0)
    assert out == pytest.approx(torch_bce(y, z), rel=1e-12, abs=1e-15)
    assert out == pytest.approx(float(np.mean(np.logaddexp(0.0, z) - y * z)), rel=1e-12, abs=1e-15)


def test_matches_probability_form_where_that_is_accurate():
    rng = np.random.default_rng(5)
    z = rng.uniform(-15, 15, size=200)
    y = rng.uniform(size=200)
    p = 1.0 / (1.0 + np.exp(-z))
    want = -np.mean(y * np.log(p) + (1 - y) * np.log(1 - p))
    assert ref.bce_with_logits(y, z) == pytest.approx(want, rel=1e-10)


def test_integer_labels():
    y = np.array([[1, 0, 1], [0, 0, 1]])
    z = np.array([[0.5, -2.0, 3.0], [1.0, -0.1, -4.0]])
    assert ref.bce_with_logits(y, z) == pytest.approx(torch_bce(y, z), rel=1e-13)


@pytest.mark.parametrize(
    "y,z,want",
    [
        ([1.0], [-1000.0], 1000.0),
        ([0.0], [1000.0], 1000.0),
        ([1.0], [1000.0], 0.0),
        ([0.0], [-1000.0], 0.0),
        ([1.0], [-1e4], 1e4),
        ([0.0], [1e4], 1e4),
        ([0.25], [1e4], 7500.0),
        ([0.25], [-1e4], 2500.0),
        ([1.0, 0.0], [0.0, 0.0], math.log(2)),
        ([1, 0, 1], [2.0, -1.0, -1000.0], (math.log1p(math.exp(-2)) + math.log1p(math.exp(-1)) + 1000) / 3),
    ],
)
def test_saturated_closed_forms(y, z, want):
    # For |z| >= 1000, log(1 + e^-|z|) is below 1e-434: the loss is exactly (1-y)z + max(-z, 0).
    out = ref.bce_with_logits(np.array(y), np.array(z))
    assert out == pytest.approx(want, rel=1e-14, abs=1e-300)
    assert out == pytest.approx(torch_bce(y, z), rel=1e-14, abs=1e-300)


def test_mixed_saturated_batch():
    y = np.array([1.0, 0.0, 0.3, 1.0, 0.0, 0.7])
    z = np.array([-1e4, 1e4, 1e3, 1e4, -1e4, -1e3])
    want = (1e4 + 1e4 + 0.7 * 1e3 + 0 + 0 + 0.7 * 1e3) / 6
    assert ref.bce_with_logits(y, z) == pytest.approx(want, rel=1e-14)


def test_no_torch_in_reference():
    assert "torch" not in open(ref.__file__).read()
