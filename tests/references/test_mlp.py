"""The MLP reference against an explicit numpy formula, nn.Sequential and dropout statistics."""
import numpy as np
import pytest
import torch
import torch.nn as nn

from tests.helpers import load_solution

ref = load_solution("mlp")


def _random_state(d_model, d_ff, seed=0):
    g = torch.Generator().manual_seed(seed)
    return {
        "linear1.weight": torch.randn(d_ff, d_model, generator=g, dtype=torch.float64) / d_model**0.5,
        "linear1.bias": torch.randn(d_ff, generator=g, dtype=torch.float64),
        "linear2.weight": torch.randn(d_model, d_ff, generator=g, dtype=torch.float64) / d_ff**0.5,
        "linear2.bias": torch.randn(d_model, generator=g, dtype=torch.float64),
    }


def _numpy_mlp(x, sd):
    s = {k: v.numpy() for k, v in sd.items()}
    h = np.maximum(x @ s["linear1.weight"].T + s["linear1.bias"], 0.0)
    return h @ s["linear2.weight"].T + s["linear2.bias"]


def test_parameters():
    m = ref.MLP(6, 24)
    shapes = {k: tuple(v.shape) for k, v in m.state_dict().items()}
    assert shapes == {
        "linear1.weight": (24, 6), "linear1.bias": (24,),
        "linear2.weight": (6, 24), "linear2.bias": (6,),
    }


@pytest.mark.parametrize("shape", [(2, 5), (7,), (1, 1)])
@pytest.mark.parametrize("dims", [(4, 16), (8, 3)])
def test_eval_matches_formula_float64(shape, dims):
    d_model, d_ff = dims
    sd = _random_state(d_model, d_ff, seed=d_ff)
    m = ref.MLP(d_model, d_ff, dropout=0.3).double()
    m.load_state_dict(sd, strict=True)
    m.eval()
    x = torch.randn(*shape, d_model, dtype=torch.float64)
    with torch.no_grad():
        out = m(x)
        again = m(x)
    assert out.shape == x.shape and out.dtype == torch.float64
    assert torch.equal(out, again)
    np.testing.assert_allclose(out.numpy(), _numpy_mlp(x.numpy(), sd), rtol=1e-12, atol=1e-12)


def test_eval_matches_sequential_float32():
    sd = _random_state(8, 32, seed=1)
    m = ref.MLP(8, 32).eval()
    m.load_state_dict(sd, strict=True)
    seq = nn.Sequential(nn.Linear(8, 32), nn.ReLU(), nn.Dropout(0.1), nn.Linear(32, 8)).eval()
    seq.load_state_dict({k.replace("linear1", "0").replace("linear2", "3"): v for k, v in sd.items()})
    x = torch.randn(3, 4, 8)
    with torch.no_grad():
        out = m(x)
        torch.testing.assert_close(out, seq(x), rtol=1e-4, atol=1e-5)
    assert out.dtype == torch.float32


def test_train_mode_is_inverted_dropout_after_relu():
    p = 0.25
    sd = _random_state(5, 40, seed=2)
    m = ref.MLP(5, 40, dropout=p).double()
    m.load_state_dict(sd, strict=True)
    m.train()
    x = torch.randn(3, 5, dtype=torch.float64)
    relu_h = np.maximum(x.numpy() @ sd["linear1.weight"].numpy().T + sd["linear1.bias"].numpy(), 0)
    seen = {}
    m.linear2.register_forward_pre_hook(lambda mod, args: seen.__setitem__("h", args[0].detach()))
    torch.manual_seed(0)
    with torch.no_grad():
        out = m(x)
    h = seen["h"].numpy()
    # every hidden unit is either dropped (0) or the ReLU output scaled by 1/(1-p)
    kept = np.isclose(h, relu_h / (1 - p), rtol=1e-12, atol=0)
    assert np.all(kept | (h == 0))
    expected = h @ sd["linear2.weight"].numpy().T + sd["linear2.bias"].numpy()
    np.testing.assert_allclose(out.numpy(), expected, rtol=1e-12, atol=1e-12)


def test_train_mode_varies_and_keeps_mean():
    p = 0.1
    sd = _random_state(4, 16, seed=3)
    m = ref.MLP(4, 16, dropout=p).double()
    m.load_state_dict(sd, strict=True)
    x = torch.randn(2, 3, 4, dtype=torch.float64)
    m.eval()
    with torch.no_grad():
        eval_out = m(x)
    m.train()
    torch.manual_seed(1)
    n = 4000
    with torch.no_grad():
        samples = torch.stack([m(x) for _ in range(n)])
    assert not torch.equal(samples[0], samples[1])
    mean = samples.mean(0)
    se = samples.std(0) / n**0.5
    assert torch.all((mean - eval_out).abs() <= 6 * se + 1e-12)
    # the drop rate is p: the fraction of zeroed hidden units
    m.train()
    h = m.dropout(torch.ones(200_000, dtype=torch.float64))
    assert abs((h == 0).double().mean().item() - p) < 6 * (p * (1 - p) / 200_000) ** 0.5


def test_no_dropout_in_eval_even_with_large_p():
    sd = _random_state(3, 6, seed=4)
    m = ref.MLP(3, 6, dropout=0.9).double()
    m.load_state_dict(sd, strict=True)
    m.eval()
    x = torch.randn(10, 3, dtype=torch.float64)
    with torch.no_grad():
        np.testing.assert_allclose(m(x).numpy(), _numpy_mlp(x.numpy(), sd), rtol=1e-12, atol=1e-12)


def test_gradients_eval():
    m = ref.MLP(3, 5).double().eval()
    x = torch.randn(2, 3, dtype=torch.float64, requires_grad=True)
    assert torch.autograd.gradcheck(m, (x,))
    m(x).sum().backward()
    assert all(p.grad is not None for p in m.parameters())


def test_statement_example():
    m = ref.MLP(2, 3, dropout=0.5)
    m.load_state_dict({
        "linear1.weight": torch.tensor([[1., 0.], [0., 1.], [1., -1.]]), "linear1.bias": torch.tensor([0., 0., 0.5]),
        "linear2.weight": torch.tensor([[1., 1., 1.], [1., -1., 2.]]), "linear2.bias": torch.tensor([0., 1.]),
    }, strict=True)
    x = torch.tensor([[1., 2.], [-1., 3.]])
    with torch.no_grad():
        torch.testing.assert_close(m.eval()(x), torch.tensor([[3., 0.], [3., -2.]]))
        m.train()
        torch.manual_seed(0)
        y = m(x)
    # each of the relu outputs [[1, 2, 0], [0, 3, 0]] is zeroed or doubled
    relu_h = torch.tensor([[1., 2., 0.], [0., 3., 0.]])
    possible = [torch.tensor(mask, dtype=torch.float32) for mask in
                __import__("itertools").product([0.0, 2.0], repeat=3)]
    for row in range(2):
        outs = [relu_h[row] * mk @ m.linear2.weight.T + m.linear2.bias for mk in possible]
        assert any(torch.allclose(y[row], o) for o in outs)
