"""The LayerNorm reference against nn.LayerNorm, a long-double numpy version and autograd."""
import ast
import inspect
from unittest import mock

import numpy as np
import pytest
import torch
import torch.nn as nn
import torch.nn.functional as F

from tests.helpers import load_solution

ref = load_solution("layernorm")


def _pair(hidden, eps=1e-5, dtype=torch.float64, seed=0):
    g = torch.Generator().manual_seed(seed)
    mine = ref.LayerNorm(hidden, eps=eps).to(dtype)
    theirs = nn.LayerNorm(hidden, eps=eps).to(dtype)
    sd = {
        "weight": torch.randn(hidden, generator=g, dtype=torch.float64).to(dtype),
        "bias": torch.randn(hidden, generator=g, dtype=torch.float64).to(dtype),
    }
    mine.load_state_dict(sd, strict=True)
    theirs.load_state_dict(sd, strict=True)
    return mine.eval(), theirs.eval()


def _numpy_ln(x, w, b, eps):
    x = np.asarray(x, dtype=np.longdouble)
    mean = x.mean(-1, keepdims=True)
    var = ((x - mean) ** 2).mean(-1, keepdims=True)
    return (x - mean) / np.sqrt(var + eps) * np.asarray(w, np.longdouble) + np.asarray(b, np.longdouble)


def test_parameters_and_init():
    ln = ref.LayerNorm(7)
    assert set(dict(ln.named_parameters())) == {"weight", "bias"}
    assert list(ln.state_dict()) == ["weight", "bias"]
    assert torch.equal(ln.weight.detach(), torch.ones(7))
    assert torch.equal(ln.bias.detach(), torch.zeros(7))
    assert ln.eps == 1e-5


@pytest.mark.parametrize("hidden", [2, 3, 7, 64, 1024])
@pytest.mark.parametrize("shape", [(2, 5), (3,)])
def test_matches_torch_float64(hidden, shape):
    mine, theirs = _pair(hidden, seed=hidden)
    x = torch.randn(*shape, hidden, dtype=torch.float64) * 3 + 0.5
    with torch.no_grad():
        out = mine(x)
    assert out.shape == x.shape and out.dtype == torch.float64
    torch.testing.assert_close(out, theirs(x), rtol=1e-6, atol=1e-9)
    ln = _numpy_ln(x.numpy(), mine.weight.detach().numpy(), mine.bias.detach().numpy(), 1e-5)
    np.testing.assert_allclose(out.numpy(), ln.astype(np.float64), rtol=1e-12, atol=1e-12)


@pytest.mark.parametrize("hidden", [2, 16, 1024])
def test_matches_torch_float32(hidden):
    mine, theirs = _pair(hidden, dtype=torch.float32, seed=1)
    x = torch.randn(4, 3, hidden)
    with torch.no_grad():
        out = mine(x)
        expected = theirs(x)
    assert out.dtype == torch.float32
    torch.testing.assert_close(out, expected, rtol=1e-4, atol=1e-5)


@pytest.mark.parametrize("eps", [1e-3, 1e-12, 0.5])
def test_other_eps(eps):
    mine, theirs = _pair(8, eps=eps, seed=2)
    # small-variance rows make the eps placement visible
    x = torch.randn(6, 8, dtype=torch.float64) * torch.logspace(-4, 0, 6, dtype=torch.float64)[:, None]
    with torch.no_grad():
        torch.testing.assert_close(mine(x), theirs(x), rtol=1e-6, atol=1e-9)


@pytest.mark.parametrize("std", [0.1, 0.3, 1.0])
@pytest.mark.parametrize("hidden", [4, 256, 1024])
def test_large_offsets_float64(std, hidden):
    mine, _ = _pair(hidden, seed=3)
    x = 1e4 + std * torch.randn(2, 3, hidden, dtype=torch.float64)
    with torch.no_grad():
        out = mine(x)
    exact = _numpy_ln(x.numpy(), mine.weight.detach().numpy(), mine.bias.detach().numpy(), 1e-5)
    np.testing.assert_allclose(out.numpy(), exact.astype(np.float64), rtol=1e-6, atol=1e-9)


def test_output_at_init_is_standardised():
    ln = ref.LayerNorm(32).double()
    x = torch.randn(5, 32, dtype=torch.float64) * 4 + 2
    with torch.no_grad():
        y = ln(x)
    torch.testing.assert_close(y.mean(-1), torch.zeros(5, dtype=torch.float64), atol=1e-12, rtol=0)
    var = x.var(-1, unbiased=False)
    torch.testing.assert_close(y.var(-1, unbiased=False), var / (var + 1e-5), rtol=1e-10, atol=1e-12)


def test_constant_row_gives_bias():
    mine, _ = _pair(5, seed=4)
    with torch.no_grad():
        y = mine(torch.full((2, 5), 3.0, dtype=torch.float64))
    torch.testing.assert_close(y, mine.bias.detach().expand(2, 5))


def test_gradients_match_autograd():
    mine, theirs = _pair(12, seed=5)
    x1 = torch.randn(3, 4, 12, dtype=torch.float64, requires_grad=True)
    x2 = x1.detach().clone().requires_grad_(True)
    up = torch.randn(3, 4, 12, dtype=torch.float64)
    (mine(x1) * up).sum().backward()
    (theirs(x2) * up).sum().backward()
    torch.testing.assert_close(x1.grad, x2.grad, rtol=1e-6, atol=1e-9)
    torch.testing.assert_close(mine.weight.grad, theirs.weight.grad, rtol=1e-6, atol=1e-9)
    torch.testing.assert_close(mine.bias.grad, theirs.bias.grad, rtol=1e-6, atol=1e-9)
    assert torch.autograd.gradcheck(mine, (x1.detach()[:1, :2].requires_grad_(True),))


def _attributes_used(module):
    tree = ast.parse(inspect.getsource(module))
    names = {n.attr for n in ast.walk(tree) if isinstance(n, ast.Attribute)}
    names |= {n.id for n in ast.walk(tree) if isinstance(n, ast.Name)}
    names |= {a.name for n in ast.walk(tree) if isinstance(n, (ast.Import, ast.ImportFrom)) for a in n.names}
    return names


def test_uses_no_forbidden_call():
    # "LayerNorm" is the class's own name; only nn.LayerNorm (an attribute) is forbidden
    tree = ast.parse(inspect.getsource(ref))
    attrs = {n.attr for n in ast.walk(tree) if isinstance(n, ast.Attribute)}
    assert not attrs & {"layer_norm", "LayerNorm", "rms_norm", "RMSNorm"}
    assert not _attributes_used(ref) & {"layer_norm", "rms_norm", "RMSNorm"}
    boom = mock.Mock(side_effect=AssertionError("forbidden"))
    with mock.patch.object(F, "layer_norm", boom), mock.patch.object(torch, "layer_norm", boom):
        ref.LayerNorm(8)(torch.randn(2, 8))


def test_statement_example():
    x = torch.tensor([[1., 2., 3., 4.], [10., 10., 10., 10.]])
    with torch.no_grad():
        y = ref.LayerNorm(4)(x)
    expected = torch.tensor([[-1.5, -0.5, 0.5, 1.5], [0.0, 0.0, 0.0, 0.0]]) / torch.tensor([[1.25 + 1e-5], [1.0]]).sqrt()
    torch.testing.assert_close(y, expected)
    torch.testing.assert_close(y[0], torch.tensor([-1.3416, -0.4472, 0.4472, 1.3416]), atol=1e-4, rtol=0)
