"""The conv2d reference against F.conv2d, and its errors."""
import numpy as np
import pytest
import torch
import torch.nn.functional as F

from tests.helpers import load_solution

ref = load_solution("conv2d")


def torch_conv(x, w, b, stride, padding, dilation):
    bias = None if b is None else torch.from_numpy(b)
    return F.conv2d(torch.from_numpy(x), torch.from_numpy(w), bias, stride, padding, dilation).numpy()


NAMED = [  # (N, C, F, H, W, (kh, kw), stride, padding, dilation, bias)
    (1, 1, 1, 1, 1, (1, 1), 1, 0, 1, False), (2, 2, 3, 4, 5, (3, 3), 1, 0, 1, True),
    (1, 3, 2, 5, 6, (2, 3), 1, 0, 1, True), (2, 2, 2, 4, 6, (4, 6), 1, 0, 1, True),
    (1, 2, 2, 5, 5, (3, 3), 1, 1, 1, True), (1, 2, 3, 7, 7, (3, 3), 2, 0, 1, True),
    (1, 1, 2, 7, 7, (3, 3), 1, 0, 2, False), (2, 2, 2, 6, 6, (3, 2), 3, 2, 1, True),
    (1, 2, 2, 6, 7, (2, 2), (2, 1), (1, 0), 1, True), (1, 2, 3, 7, 9, (3, 3), (1, 3), (0, 2), (2, 1), True),
    (3, 4, 5, 12, 10, (5, 5), 2, 2, (1, 2), True), (1, 1, 1, 6, 6, (2, 2), 1, 0, (1, 2), False),
]


@pytest.mark.parametrize("config", NAMED)
def test_named_configs(config):
    n, c, f, h, w, k, s, p, d, has_bias = config
    rng = np.random.default_rng(h * 13 + w)
    x, weight = rng.standard_normal((n, c, h, w)), rng.standard_normal((f, c, *k))
    b = rng.standard_normal(f) if has_bias else None
    saved = [x.copy(), weight.copy()]
    got = ref.conv2d(x, weight, b, stride=s, padding=p, dilation=d)
    assert got.dtype == np.float64
    np.testing.assert_allclose(got, torch_conv(x, weight, b, s, p, d), rtol=1e-6, atol=1e-9)
    np.testing.assert_array_equal(saved[0], x)
    np.testing.assert_array_equal(saved[1], weight)


def test_random_configs_and_defaults():
    rng = np.random.default_rng(0)
    done = 0
    while done < 60:
        h, w = rng.integers(1, 13, size=2)
        k = tuple(rng.integers(1, 6, size=2))
        s = [1, 2, 3, (2, 1), (1, 3)][rng.integers(5)]
        p = [0, 1, 2, (1, 0), (0, 2)][rng.integers(5)]
        d = [1, 2, (2, 1), (1, 2)][rng.integers(4)]
        x = rng.standard_normal((rng.integers(1, 4), rng.integers(1, 5), h, w))
        weight = rng.standard_normal((rng.integers(1, 6), x.shape[1], *k))
        b = rng.standard_normal(weight.shape[0]) if rng.random() < 0.5 else None
        try:
            want = torch_conv(x, weight, b, s, p, d)
        except RuntimeError:
            with pytest.raises(ValueError):
                ref.conv2d(x, weight, b, s, p, d)
            continue
        np.testing.assert_allclose(ref.conv2d(x, weight, b, s, p, d), want, rtol=1e-6, atol=1e-9)
        done += 1
    x, weight = rng.standard_normal((2, 3, 5, 4)), rng.standard_normal((2, 3, 2, 2))
    np.testing.assert_allclose(ref.conv2d(x, weight), torch_conv(x, weight, None, 1, 0, 1), rtol=1e-6, atol=1e-9)


@pytest.mark.parametrize("xs, ws, kw", [
    ((1, 3, 5, 5), (1, 2, 3, 3), {}),
    ((1, 2, 2, 5), (1, 2, 3, 3), {}),  # Ho = 0 exactly
    ((1, 2, 5, 1), (1, 2, 3, 4), {"stride": 2}),  # Wo < 0
    ((1, 2, 4, 4), (1, 2, 3, 3), {"dilation": 2}),
    ((1, 2, 3, 3), (1, 2, 6, 6), {"padding": 1}),
])
def test_errors(xs, ws, kw):
    with pytest.raises(ValueError):
        ref.conv2d(np.zeros(xs), np.zeros(ws), None, **kw)
    with pytest.raises(RuntimeError):  # torch refuses them too
        torch_conv(np.zeros(xs), np.zeros(ws), None, kw.get("stride", 1), kw.get("padding", 0), kw.get("dilation", 1))


def test_medium_case_values():
    rng = np.random.default_rng(5)
    x, weight, b = rng.standard_normal((8, 32, 32, 32)), rng.standard_normal((64, 32, 3, 3)), rng.standard_normal(64)
    np.testing.assert_allclose(ref.conv2d(x, weight, b, padding=1), torch_conv(x, weight, b, 1, 1, 1),
                               rtol=1e-6, atol=1e-9)
