"""The positional-encoding reference against a table computed independently in numpy."""
import numpy as np
import pytest
import torch

from tests.helpers import load_solution

ref = load_solution("positional_encoding")


def numpy_table(max_len: int, d_model: int) -> np.ndarray:
    """Straight from the paper: PE(pos, 2i) = sin(pos / 10000^(2i/d)), PE(pos, 2i+1) = cos(...)."""
    table = np.zeros((max_len, d_model))
    for i in range(d_model // 2):
        denom = np.power(10000.0, 2 * i / d_model)
        table[:, 2 * i] = np.sin(np.arange(max_len) / denom)
        table[:, 2 * i + 1] = np.cos(np.arange(max_len) / denom)
    return table


@pytest.mark.parametrize("d_model,max_len", [(2, 10), (4, 7), (16, 5000), (64, 300), (512, 2048)])
def test_table_matches_the_formula(d_model, max_len):
    pe = ref.PositionalEncoding(d_model, max_len)
    assert pe.pe.shape == (1, max_len, d_model)
    # stored as float32 (the default dtype), built in float64: only float32 rounding remains
    np.testing.assert_allclose(pe.pe[0].double().numpy(), numpy_table(max_len, d_model), rtol=0, atol=1e-7)


def test_worked_example_of_the_statement():
    pe = ref.PositionalEncoding(4, max_len=10)
    np.testing.assert_allclose(pe.pe[0, 0].numpy(), [0, 1, 0, 1], atol=1e-7)
    np.testing.assert_allclose(pe.pe[0, 1].numpy(), [0.841471, 0.540302, 0.0099998, 0.99995], atol=1e-6)
    np.testing.assert_allclose(pe.pe[0, 2].numpy(), [0.909297, -0.416147, 0.0199987, 0.9998], atol=1e-6)


def test_default_max_len_is_5000():
    assert ref.PositionalEncoding(8).pe.shape == (1, 5000, 8)


def test_buffer_not_parameter():
    pe = ref.PositionalEncoding(8, 100)
    assert list(pe.parameters()) == []
    assert dict(pe.named_buffers()).keys() == {"pe"}
    assert list(pe.state_dict().keys()) == ["pe"]
    assert not pe.pe.requires_grad


@pytest.mark.parametrize("dtype", [torch.float32, torch.float64])
@pytest.mark.parametrize("B,T", [(1, 1), (3, 17), (2, 100)])
def test_forward_adds_the_table(dtype, B, T):
    d, max_len = 32, 100
    g = torch.Generator().manual_seed(B * 1000 + T)
    x = torch.randn(B, T, d, generator=g, dtype=dtype)
    out = ref.PositionalEncoding(d, max_len)(x.clone())
    assert out.dtype == dtype and out.shape == (B, T, d)
    expected = x.double().numpy() + numpy_table(max_len, d)[None, :T]
    atol = 1e-6 if dtype == torch.float32 else 1e-7
    np.testing.assert_allclose(out.double().numpy(), expected, rtol=1e-6, atol=atol)


def test_module_cast_to_double_keeps_float64():
    pe = ref.PositionalEncoding(8, 50).double()
    x = torch.zeros(2, 50, 8, dtype=torch.float64)
    out = pe(x)
    assert out.dtype == torch.float64
    np.testing.assert_allclose(out[0].numpy(), numpy_table(50, 8), atol=1e-7)


def test_t_equal_max_len_is_fine_and_longer_raises():
    pe = ref.PositionalEncoding(6, max_len=12)
    assert pe(torch.zeros(1, 12, 6)).shape == (1, 12, 6)
    with pytest.raises(ValueError):
        pe(torch.zeros(1, 13, 6))


@pytest.mark.parametrize("d_model", [1, 3, 7, 15])
def test_odd_d_model_raises(d_model):
    with pytest.raises(ValueError):
        ref.PositionalEncoding(d_model, 10)


def test_input_not_modified():
    x = torch.randn(2, 5, 4)
    before = x.clone()
    ref.PositionalEncoding(4, 10)(x)
    assert torch.equal(x, before)


def test_gradient_flows_to_the_input_only():
    pe = ref.PositionalEncoding(4, 10)
    x = torch.randn(2, 5, 4, requires_grad=True)
    pe(x).sum().backward()
    assert torch.equal(x.grad, torch.ones_like(x))
