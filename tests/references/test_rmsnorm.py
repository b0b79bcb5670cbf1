"""The RMSNorm reference against nn.RMSNorm, a long-double numpy formula and autograd."""
import ast
import inspect
from unittest import mock

import numpy as np
import pytest
import torch
import torch.nn as nn
import torch.nn.functional as F

from tests.helpers import load_solution

ref = load_solution("rmsnorm")


def _pair(hidden, eps=1e-6, dtype=torch.float64, seed=0):
    g = torch.Generator().manual_seed(seed)
    sd = {"weight": torch.randn(hidden, generator=g, dtype=torch.float64)}
    mine = ref.RMSNorm(hidden, eps=eps)
    theirs = nn.RMSNorm(hidden, eps=eps)
    mine.load_state_dict(sd, strict=True)
    theirs.load_state_dict(sd, strict=True)
    return mine.to(dtype).eval(), theirs.to(dtype).eval()


def _numpy_rms(x, w, eps):
    x = np.asarray(x, dtype=np.longdouble)
    ms = (x * x).mean(-1, keepdims=True)
    return np.asarray(w, np.longdouble) * x / np.sqrt(ms + eps)


def test_parameters_and_init():
    m = ref.RMSNorm(9)
    assert list(m.state_dict()) == ["weight"]
    assert torch.equal(m.weight.detach(), torch.ones(9))
    assert m.eps == 1e-6


@pytest.mark.parametrize("hidden", [1, 2, 5, 64, 1024])
@pytest.mark.parametrize("shape", [(2, 3), (4,)])
def test_matches_torch_float64(hidden, shape):
    mine, theirs = _pair(hidden, seed=hidden)
    x = torch.randn(*shape, hidden, dtype=torch.float64) + 0.7
    with torch.no_grad():
        out = mine(x)
    assert out.shape == x.shape and out.dtype == torch.float64
    torch.testing.assert_close(out, theirs(x), rtol=1e-6, atol=1e-9)
    exact = _numpy_rms(x.numpy(), mine.weight.detach().numpy(), 1e-6)
    np.testing.assert_allclose(out.numpy(), exact.astype(np.float64), rtol=1e-12, atol=1e-14)


@pytest.mark.parametrize("hidden", [3, 128])
def test_matches_torch_float32(hidden):
    mine, theirs = _pair(hidden, dtype=torch.float32, seed=1)
    x = torch.randn(3, 5, hidden)
    with torch.no_grad():
        out = mine(x)
        torch.testing.assert_close(out, theirs(x), rtol=1e-4, atol=1e-5)
    assert out.dtype == torch.float32


@pytest.mark.parametrize("eps", [1e-6, 1e-5, 1e-8])
def test_tiny_inputs(eps):
    mine, theirs = _pair(16, eps=eps, seed=2)
    x = 1e-4 * torch.randn(4, 16, dtype=torch.float64)
    with torch.no_grad():
        out = mine(x)
    torch.testing.assert_close(out, theirs(x), rtol=1e-6, atol=1e-9)
    exact = _numpy_rms(x.numpy(), mine.weight.detach().numpy(), eps)
    np.testing.assert_allclose(out.numpy(), exact.astype(np.float64), rtol=1e-10, atol=1e-14)
    # eps outside the root is a different function here: the case discriminates
    w = mine.weight.detach()
    outside = w * x / (x.pow(2).mean(-1, keepdim=True).sqrt() + eps)
    if eps >= 1e-6:
        assert not torch.allclose(out, outside, rtol=1e-2, atol=1e-3)


@pytest.mark.parametrize("hidden", [8, 512])
def test_bfloat16(hidden):
    mine64, _ = _pair(hidden, seed=3)
    mine16 = ref.RMSNorm(hidden)
    mine16.load_state_dict(mine64.state_dict())
    mine16 = mine16.to(torch.bfloat16)
    _, theirs16 = _pair(hidden, dtype=torch.bfloat16, seed=3)
    x = (torch.randn(2, 7, hidden) * 3).to(torch.bfloat16)
    # the exact result: float64 arithmetic on the same (bfloat16-rounded) weight and input
    mine64.load_state_dict({"weight": mine16.weight.detach().double()})
    with torch.no_grad():
        out = mine16(x)
        exact = mine64(x.double())
        builtin = theirs16(x)
    assert out.dtype == torch.bfloat16 and out.shape == x.shape
    torch.testing.assert_close(out.double(), exact, rtol=2e-2, atol=2e-2)
    torch.testing.assert_close(out.double(), builtin.double(), rtol=2e-2, atol=2e-2)
    assert mine16.weight.dtype == torch.bfloat16


def test_gradients_match_autograd():
    mine, theirs = _pair(10, seed=5)
    x1 = torch.randn(2, 3, 10, dtype=torch.float64, requires_grad=True)
    x2 = x1.detach().clone().requires_grad_(True)
    up = torch.randn(2, 3, 10, dtype=torch.float64)
    (mine(x1) * up).sum().backward()
    (theirs(x2) * up).sum().backward()
    torch.testing.assert_close(x1.grad, x2.grad, rtol=1e-6, atol=1e-9)
    torch.testing.assert_close(mine.weight.grad, theirs.weight.grad, rtol=1e-6, atol=1e-9)
    assert torch.autograd.gradcheck(mine, (x1.detach()[:1, :2].requires_grad_(True),))


def test_uses_no_forbidden_call():
    tree = ast.parse(inspect.getsource(ref))
    attrs = {n.attr for n in ast.walk(tree) if isinstance(n, ast.Attribute)}
    assert not attrs & {"layer_norm", "LayerNorm", "rms_norm", "RMSNorm"}
    boom = mock.Mock(side_effect=AssertionError("forbidden"))
    with mock.patch.object(F, "rms_norm", boom), mock.patch.object(torch, "rms_norm", boom):
        ref.RMSNorm(8)(torch.randn(2, 8))


def test_statement_example():
    x = torch.tensor([[1., 2., 3., 4.], [1e-4, -1e-4, 1e-4, -1e-4]])
    with torch.no_grad():
        y = ref.RMSNorm(4)(x)
    torch.testing.assert_close(y, torch.tensor([[0.3651, 0.7303, 1.0954, 1.4606],
                                                [0.0995, -0.0995, 0.0995, -0.0995]]), atol=1e-4, rtol=0)
