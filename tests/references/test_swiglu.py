"""The SwiGLU reference against a numpy forward pass and hand-derived gradients."""
import numpy as np
import pytest
import torch

from tests.helpers import load_solution

ref = load_solution("swiglu")


def _random_state(d_model, d_ff, seed=0, dtype=torch.float64):
    g = torch.Generator().manual_seed(seed)
    return {
        "gate_proj.weight": (torch.randn(d_ff, d_model, generator=g, dtype=torch.float64) / d_model**0.5).to(dtype),
        "up_proj.weight": (torch.randn(d_ff, d_model, generator=g, dtype=torch.float64) / d_model**0.5).to(dtype),
        "down_proj.weight": (torch.randn(d_model, d_ff, generator=g, dtype=torch.float64) / d_ff**0.5).to(dtype),
    }


def _sigmoid(z):
    return 1.0 / (1.0 + np.exp(-z))


def _numpy_forward_backward(x, sd, upstream):
    wg, wu, wd = (sd[k].numpy() for k in ("gate_proj.weight", "up_proj.weight", "down_proj.weight"))
    g, u = x @ wg.T, x @ wu.T
    s = _sigmoid(g)
    act = g * s
    h = act * u
    y = h @ wd.T
    # backward, by hand
    dh = upstream @ wd
    d_wd = upstream.reshape(-1, upstream.shape[-1]).T @ h.reshape(-1, h.shape[-1])
    dg = dh * u * (s * (1 + g * (1 - s)))        # silu'(z) = s(z) (1 + z (1 - s(z)))
    du = dh * act
    flat_x = x.reshape(-1, x.shape[-1])
    grads = {
        "x": dg @ wg + du @ wu,
        "gate_proj.weight": dg.reshape(-1, dg.shape[-1]).T @ flat_x,
        "up_proj.weight": du.reshape(-1, du.shape[-1]).T @ flat_x,
        "down_proj.weight": d_wd,
    }
    return y, grads


def test_parameters():
    m = ref.SwiGLU(6, 16)
    shapes = {k: tuple(v.shape) for k, v in m.state_dict().items()}
    assert shapes == {"gate_proj.weight": (16, 6), "up_proj.weight": (16, 6), "down_proj.weight": (6, 16)}
    assert all(lin.bias is None for lin in (m.gate_proj, m.up_proj, m.down_proj))


def test_statement_example():
    m = ref.SwiGLU(2, 3)
    m.load_state_dict({
        "gate_proj.weight": torch.tensor([[1., 0.], [0., 1.], [1., 1.]]),
        "up_proj.weight": torch.tensor([[2., 0.], [1., 1.], [0., -1.]]),
        "down_proj.weight": torch.tensor([[1., 1., 1.], [1., 0., -1.]]),
    }, strict=True)
    with torch.no_grad():
        y = m(torch.tensor([[1., -1.]]))
    torch.testing.assert_close(y, torch.tensor([[2 / (1 + np.exp(-1.0))] * 2], dtype=torch.float32))


@pytest.mark.parametrize("shape", [(2, 5), (4,), (1, 1)])
@pytest.mark.parametrize("dims", [(4, 12), (8, 3)])
def test_forward_and_gradients_float64(shape, dims):
    d_model, d_ff = dims
    sd = _random_state(d_model, d_ff, seed=d_ff)
    m = ref.SwiGLU(d_model, d_ff).double().eval()
    m.load_state_dict(sd, strict=True)
    x = (3 * torch.randn(*shape, d_model, dtype=torch.float64)).requires_grad_(True)
    upstream = torch.randn(*shape, d_model, dtype=torch.float64)
    out = m(x)
    assert out.shape == x.shape and out.dtype == torch.float64
    (out * upstream).sum().backward()
    y, grads = _numpy_forward_backward(x.detach().numpy(), sd, upstream.numpy())
    np.testing.assert_allclose(out.detach().numpy(), y, rtol=1e-12, atol=1e-12)
    np.testing.assert_allclose(x.grad.numpy(), grads["x"], rtol=1e-10, atol=1e-12)
    for name, p in m.named_parameters():
        np.testing.assert_allclose(p.grad.numpy(), grads[name], rtol=1e-10, atol=1e-12)


def test_float32():
    sd = _random_state(16, 48, seed=1)
    m = ref.SwiGLU(16, 48).eval()
    m.load_state_dict({k: v.float() for k, v in sd.items()}, strict=True)
    x = torch.randn(3, 7, 16)
    with torch.no_grad():
        out = m(x)
    assert out.dtype == torch.float32
    y, _ = _numpy_forward_backward(x.double().numpy(), sd, np.zeros((3, 7, 16)))
    np.testing.assert_allclose(out.numpy(), y, rtol=1e-4, atol=1e-5)


def test_gradcheck():
    m = ref.SwiGLU(3, 4).double()
    assert torch.autograd.gradcheck(m, (torch.randn(2, 3, dtype=torch.float64, requires_grad=True),))
