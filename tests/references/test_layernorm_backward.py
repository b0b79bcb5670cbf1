"""The layernorm_backward reference against torch autograd through F.layer_norm."""
import numpy as np
import pytest
import torch.nn.functional as F

from harness.engine.backward import autograd_vjp
from tests.helpers import load_solution

ref = load_solution("layernorm_backward")
SHAPES = [(4, 8), (1, 2), (3, 5, 7), (2, 3, 4, 6), (16, 512), (2, 3, 2), (5, 33), (2, 3)]


def torch_truth(x, gamma, beta, dy, eps):
    y, grads = autograd_vjp(lambda x, gamma, beta: F.layer_norm(x, x.shape[-1:], gamma, beta, eps),
                            {"x": x, "gamma": gamma, "beta": beta}, dy)
    return y, grads["x"], grads["gamma"], grads["beta"]


def check(x, gamma, beta, dy, eps=None):
    kw = {} if eps is None else {"eps": eps}
    y, cache = ref.layernorm_forward(x, gamma, beta, **kw)
    got = (y, *ref.layernorm_backward(dy, cache))
    want = torch_truth(x, gamma, beta, dy, 1e-5 if eps is None else eps)
    for name, g, w in zip(("y", "dx", "dgamma", "dbeta"), got, want):
        assert g.shape == w.shape and g.dtype == np.float64, name
        np.testing.assert_allclose(g, w, rtol=1e-6, atol=1e-9, err_msg=name)


@pytest.mark.parametrize("shape", SHAPES)
@pytest.mark.parametrize("eps", [None, 1e-2])
def test_random_rows(shape, eps):
    rng = np.random.default_rng(len(shape) * 100 + shape[-1])
    d = shape[-1]
    check(rng.normal(0.5, 2.0, shape), rng.normal(1, 0.5, d), rng.normal(0, 0.5, d), rng.standard_normal(shape), eps)


@pytest.mark.parametrize("eps", [None, 1e-2])
def test_rows_of_std_1e_3(eps):
    rng = np.random.default_rng(3)
    for shape in ((2, 4), (3, 8), (2, 3, 16), (4, 64)):
        d = shape[-1]
        check(rng.normal(0.0, 1e-3, shape) + 0.7, rng.normal(1, 0.5, d), rng.normal(0, 0.5, d),
              rng.standard_normal(shape), eps)


@pytest.mark.parametrize("loc, std", [(1e4, 0.1), (-1e5, 0.3), (1e6, 1.0), (-1e6, 1.0), (-1e4, 1.0)])
def test_large_offsets(loc, std):
    rng = np.random.default_rng(int(abs(loc)) % 1000)
    for shape in ((2, 8), (3, 16), (2, 3, 32), (4, 64)):
        d = shape[-1]
        check(loc + std * rng.standard_normal(shape), rng.normal(1, 0.5, d), rng.normal(0, 0.5, d),
              rng.standard_normal(shape))


def test_caches_are_independent_and_reusable_and_inputs_unchanged():
    rng = np.random.default_rng(7)
    x1, x2 = rng.standard_normal((3, 5)), rng.normal(3, 2, (3, 5))
    gamma, beta = rng.standard_normal(5), rng.standard_normal(5)
    dy1, dy2 = rng.standard_normal((3, 5)), rng.standard_normal((3, 5))
    saved = [a.copy() for a in (x1, x2, gamma, beta, dy1, dy2)]
    _, c1 = ref.layernorm_forward(x1, gamma, beta)
    _, c2 = ref.layernorm_forward(x2, gamma, beta)
    gamma_before = gamma.copy()
    first = ref.layernorm_backward(dy1, c1)
    ref.layernorm_backward(dy2, c2)
    again = ref.layernorm_backward(dy2, c1)
    for a, b in zip(again, torch_truth(x1, gamma_before, beta, dy2, 1e-5)[1:]):
        np.testing.assert_allclose(a, b, rtol=1e-6, atol=1e-9)
    for a, b in zip(first, torch_truth(x1, gamma_before, beta, dy1, 1e-5)[1:]):
        np.testing.assert_allclose(a, b, rtol=1e-6, atol=1e-9)
    for before, after in zip(saved, (x1, x2, gamma, beta, dy1, dy2)):
        np.testing.assert_array_equal(before, after)


def test_the_variance_shortcut_really_fails_at_the_graded_offsets():
    """The large-offset cases must reject E[x²] − E[x]² (else the check proves nothing)."""
    rng = np.random.default_rng(0)
    x = 1e6 + rng.standard_normal((2, 3, 32))
    mean = x.mean(-1, keepdims=True)
    shortcut = (x - mean) / np.sqrt((x * x).mean(-1, keepdims=True) - mean ** 2 + 1e-5)
    y, _ = ref.layernorm_forward(x, np.ones(32), np.zeros(32))
    assert not np.allclose(shortcut, y, rtol=1e-6, atol=1e-9)
