"""The gelu reference against F.gelu (values, gradients, extremes, errors) and the closed-form derivative."""
import math

import pytest
import torch
import torch.nn.functional as F

from tests.helpers import load_solution

ref = load_solution("gelu")
GRID = torch.cat([torch.linspace(-10, 10, 81, dtype=torch.float64),
                  torch.tensor([12, -12, 30, -30, 1e2, -1e2, 1e3, -1e3, 1e4, -1e4, 0, 1e-8, -1e-8],
                               dtype=torch.float64)])
TOL = {torch.float64: (1e-6, 1e-9), torch.float32: (1e-4, 1e-5)}


@pytest.mark.parametrize("dtype", [torch.float64, torch.float32])
@pytest.mark.parametrize("approximate", [None, "none", "tanh"])
@pytest.mark.parametrize("shape", ["grid", "3d", "0d"])
def test_matches_builtin(dtype, approximate, shape):
    x = {"grid": GRID, "3d": torch.randn(2, 3, 4, dtype=torch.float64, generator=torch.Generator().manual_seed(0)) * 3,
         "0d": torch.tensor(-0.75, dtype=torch.float64)}[shape].to(dtype)
    kw = {} if approximate is None else {"approximate": approximate}
    a, b = x.clone().requires_grad_(True), x.clone().requires_grad_(True)
    plain = x.clone()
    ref.gelu(plain, **kw)
    assert torch.equal(plain, x), "x modified"
    ya, yb = ref.gelu(a, **kw), F.gelu(b, **kw)
    assert ya.dtype == dtype and ya.shape == x.shape
    torch.testing.assert_close(ya, yb, rtol=TOL[dtype][0], atol=TOL[dtype][1])
    ya.sum().backward()
    yb.sum().backward()
    torch.testing.assert_close(a.grad, b.grad, rtol=TOL[dtype][0], atol=TOL[dtype][1])


@pytest.mark.parametrize("dtype", [torch.float64, torch.float32])
@pytest.mark.parametrize("approximate", ["none", "tanh"])
def test_extremes_are_x_or_zero_with_gradient_one_or_zero(dtype, approximate):
    x = torch.tensor([1e3, -1e3, 1e4, -1e4], dtype=dtype, requires_grad=True)
    y = ref.gelu(x, approximate)
    y.sum().backward()
    assert y.tolist() == [1e3, 0.0, 1e4, 0.0]
    assert x.grad.tolist() == [1.0, 0.0, 1.0, 0.0]


def test_exact_derivative_closed_form():
    x = torch.linspace(-6, 6, 49, dtype=torch.float64, requires_grad=True)
    ref.gelu(x).sum().backward()
    xs = x.detach()
    phi = torch.exp(-xs ** 2 / 2) / math.sqrt(2 * math.pi)
    cdf = 0.5 * (1 + torch.erf(xs / math.sqrt(2)))
    torch.testing.assert_close(x.grad, cdf + xs * phi, rtol=1e-12, atol=1e-14)


@pytest.mark.parametrize("bad", ["Tanh", "sigmoid", "", "NONE", "exact"])
def test_unknown_forms_raise(bad):
    with pytest.raises(ValueError):
        ref.gelu(torch.tensor([0.5]), bad)
    with pytest.raises(RuntimeError):
        F.gelu(torch.tensor([0.5]), approximate=bad)
