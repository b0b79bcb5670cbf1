"""The mha reference against torch.nn.MultiheadAttention (weights mapped) and masks' semantics."""
import pytest
import torch
from torch import nn

from tests.attention_helpers import self_attention_masks, torch_attention
from tests.helpers import load_solution

ref = load_solution("mha")
MultiHeadAttention = ref.MultiHeadAttention


def make(d_model, num_heads, dtype=torch.float64, seed=0):
    torch.manual_seed(seed)
    m = MultiHeadAttention(d_model, num_heads).to(dtype).eval()
    with torch.no_grad():  # non-trivial biases everywhere
        for p in m.parameters():
            p.normal_(0, 0.3)
    return m


def torch_twin(m):
    """nn.MultiheadAttention holding the same weights: in_proj = cat(q, k, v), out_proj = o."""
    d, h = m.q_proj.in_features, m.num_heads
    twin = nn.MultiheadAttention(d, h, batch_first=True, dtype=m.q_proj.weight.dtype).eval()
    with torch.no_grad():
        twin.in_proj_weight.copy_(torch.cat([m.q_proj.weight, m.k_proj.weight, m.v_proj.weight]))
        twin.in_proj_bias.copy_(torch.cat([m.q_proj.bias, m.k_proj.bias, m.v_proj.bias]))
        twin.out_proj.weight.copy_(m.o_proj.weight)
        twin.out_proj.bias.copy_(m.o_proj.bias)
    return twin


SHAPES = [(2, 5, 16, 4), (1, 7, 12, 3), (3, 1, 8, 2), (1, 1, 6, 1), (2, 9, 8, 8)]


@pytest.mark.parametrize("B,T,d,H", SHAPES)
def test_matches_torch_multihead_attention(B, T, d, H):
    gen = torch.Generator().manual_seed(B * 100 + T)
    m = make(d, H, seed=T)
    twin = torch_twin(m)
    x = torch.randn(B, T, d, generator=gen, dtype=torch.float64)
    for name, mask in self_attention_masks(B, H, T, gen).items():
        with torch.no_grad():
            got = m(x.clone(), None if mask is None else mask.clone())
            want = torch_attention(twin, x, x, mask)
        assert got.shape == (B, T, d) and got.dtype == torch.float64, name
        torch.testing.assert_close(got, want, rtol=1e-10, atol=1e-12, msg=name)


def test_gradients_match_autograd_of_torch():
    B, T, d, H = 2, 6, 12, 3
    gen = torch.Generator().manual_seed(1)
    m = make(d, H)
    twin = torch_twin(m)
    mask = self_attention_masks(B, H, T, gen)["causal_and_padding"]
    x1 = torch.randn(B, T, d, generator=gen, dtype=torch.float64, requires_grad=True)
    x2 = x1.detach().clone().requires_grad_(True)
    g = torch.randn(B, T, d, generator=gen, dtype=torch.float64)
    (m(x1, mask) * g).sum().backward()
    (torch_attention(twin, x2, x2, mask) * g).sum().backward()
    torch.testing.assert_close(x1.grad, x2.grad, rtol=1e-10, atol=1e-12)
    in_grad = torch.cat([m.q_proj.weight.grad, m.k_proj.weight.grad, m.v_proj.weight.grad])
    torch.testing.assert_close(in_grad, twin.in_proj_weight.grad, rtol=1e-10, atol=1e-12)
    in_bgrad = torch.cat([m.q_proj.bias.grad, m.k_proj.bias.grad, m.v_proj.bias.grad])
    torch.testing.assert_close(in_bgrad, twin.in_proj_bias.grad, rtol=1e-10, atol=1e-12)
    torch.testing.assert_close(m.o_proj.weight.grad, twin.out_proj.weight.grad, rtol=1e-10, atol=1e-12)
    for name, p in m.named_parameters():
        assert p.grad is not None and p.grad.abs().sum() > 0, name


def test_causal_mask_hides_the_future():
    B, T, d, H = 2, 7, 8, 2
    m = make(d, H)
    causal = torch.ones(T, T, dtype=torch.bool).tril()
    x = torch.randn(B, T, d, dtype=torch.float64)
    y = x.clone()
    y[:, 4:] = torch.randn(B, T - 4, d, dtype=torch.float64)
    with torch.no_grad():
        torch.testing.assert_close(m(x, causal)[:, :4], m(y, causal)[:, :4], rtol=0, atol=1e-12)
        assert not torch.allclose(m(x, causal)[:, 4:], m(y, causal)[:, 4:])


def test_padding_mask_hides_padded_keys():
    B, T, d, H = 2, 6, 8, 4
    m = make(d, H)
    lengths = torch.tensor([3, 6])
    pad = (torch.arange(T)[None] < lengths[:, None])[:, None, None, :]
    x = torch.randn(B, T, d, dtype=torch.float64)
    y = x.clone()
    y[0, 3:] += 5.0  # only padded keys of row 0 change; their query rows change too
    with torch.no_grad():
        a, b = m(x, pad), m(y, pad)
    torch.testing.assert_close(a[0, :3], b[0, :3], rtol=0, atol=1e-12)
    torch.testing.assert_close(a[1], b[1], rtol=0, atol=0)


def test_float32_close_to_float64_and_dtype_kept():
    m64 = make(16, 4)
    m32 = make(16, 4, dtype=torch.float32)
    m32.load_state_dict({k: v.float() for k, v in m64.state_dict().items()}, strict=True)
    x = torch.randn(2, 5, 16, dtype=torch.float64)
    mask = torch.ones(5, 5, dtype=torch.bool).tril()
    with torch.no_grad():
        out32 = m32(x.float(), mask)
        out64 = m64(x, mask)
    assert out32.dtype == torch.float32
    torch.testing.assert_close(out32.double(), out64, rtol=1e-4, atol=1e-5)


def test_single_token_attends_to_itself():
    # T = 1: softmax over one key is 1, so output = o_proj(v_proj(x)).
    m = make(8, 2)
    x = torch.randn(3, 1, 8, dtype=torch.float64)
    with torch.no_grad():
        torch.testing.assert_close(m(x), m.o_proj(m.v_proj(x)), rtol=1e-12, atol=1e-12)


def test_parameters_and_state_dict():
    m = MultiHeadAttention(12, 3)
    shapes = {k: tuple(v.shape) for k, v in m.state_dict().items()}
    want = {}
    for p in ("q_proj", "k_proj", "v_proj", "o_proj"):
        want[f"{p}.weight"] = (12, 12)
        want[f"{p}.bias"] = (12,)
    assert shapes == want


@pytest.mark.parametrize("d_model,num_heads", [(10, 3), (8, 3), (6, 4), (7, 2)])
def test_impossible_heads_raise(d_model, num_heads):
    with pytest.raises(ValueError):
        MultiHeadAttention(d_model, num_heads)
