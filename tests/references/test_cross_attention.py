"""The cross_attention reference against torch.nn.MultiheadAttention(query=x, key=value=context)."""
import pytest
import torch
from torch import nn

from tests.attention_helpers import torch_attention
from tests.helpers import load_solution

ref = load_solution("cross_attention")
CrossAttention = ref.CrossAttention


def make(d_model, num_heads, dtype=torch.float64, seed=0):
    torch.manual_seed(seed)
    m = CrossAttention(d_model, num_heads).to(dtype).eval()
    with torch.no_grad():
        for p in m.parameters():
            p.normal_(0, 0.3)
    return m


def torch_twin(m):
    d, h = m.q_proj.in_features, m.num_heads
    twin = nn.MultiheadAttention(d, h, batch_first=True, dtype=m.q_proj.weight.dtype).eval()
    with torch.no_grad():
        twin.in_proj_weight.copy_(torch.cat([m.q_proj.weight, m.k_proj.weight, m.v_proj.weight]))
        twin.in_proj_bias.copy_(torch.cat([m.q_proj.bias, m.k_proj.bias, m.v_proj.bias]))
        twin.out_proj.weight.copy_(m.o_proj.weight)
        twin.out_proj.bias.copy_(m.o_proj.bias)
    return twin


def masks(B, H, Tq, Tk, gen):
    lengths = torch.randint(1, Tk + 1, (B,), generator=gen)
    padding = (torch.arange(Tk)[None, :] < lengths[:, None])[:, None, None, :]  # (B, 1, 1, Tk)
    full = torch.rand(B, H, Tq, Tk, generator=gen) < 0.5
    full[..., 0] = True
    per_query = torch.rand(Tq, Tk, generator=gen) < 0.5
    per_query[:, -1] = True
    return {
        "none": None,
        "padding_bool": padding,
        "padding_int": padding.long(),
        "per_query_bool": per_query,
        "full_bool": full,
        "full_int": full.to(torch.uint8),
    }


SHAPES = [(2, 3, 7, 16, 4), (1, 6, 2, 12, 3), (3, 1, 5, 8, 2), (2, 4, 1, 8, 8), (1, 5, 5, 6, 1)]


@pytest.mark.parametrize("B,Tq,Tk,d,H", SHAPES)
def test_matches_torch_multihead_attention(B, Tq, Tk, d, H):
    gen = torch.Generator().manual_seed(Tq * 10 + Tk)
    m = make(d, H, seed=Tk)
    twin = torch_twin(m)
    x = torch.randn(B, Tq, d, generator=gen, dtype=torch.float64)
    ctx = torch.randn(B, Tk, d, generator=gen, dtype=torch.float64)
    for name, mask in masks(B, H, Tq, Tk, gen).items():
        with torch.no_grad():
            got = m(x.clone(), ctx.clone(), mask)
            want = torch_attention(twin, x, ctx, mask)
        assert got.shape == (B, Tq, d) and got.dtype == torch.float64
        torch.testing.assert_close(got, want, rtol=1e-10, atol=1e-12, msg=name)


def test_key_padding_mask_equals_torch_key_padding_argument():
    B, Tq, Tk, d, H = 3, 4, 6, 8, 2
    m = make(d, H)
    twin = torch_twin(m)
    lengths = torch.tensor([6, 2, 4])
    keep = torch.arange(Tk)[None] < lengths[:, None]  # (B, Tk)
    x = torch.randn(B, Tq, d, dtype=torch.float64)
    ctx = torch.randn(B, Tk, d, dtype=torch.float64)
    with torch.no_grad():
        got = m(x, ctx, keep[:, None, None, :])
        want = twin(x, ctx, ctx, key_padding_mask=~keep, need_weights=False)[0]
        torch.testing.assert_close(got, want, rtol=1e-10, atol=1e-12)
        # the padded context positions have no influence
        ctx2 = ctx.clone()
        ctx2[1, 2:] = 100.0
        torch.testing.assert_close(m(x, ctx2, keep[:, None, None, :])[1], got[1], rtol=0, atol=1e-12)


def test_gradients_match_autograd_of_torch():
    B, Tq, Tk, d, H = 2, 3, 5, 12, 3
    m = make(d, H)
    twin = torch_twin(m)
    keep = (torch.arange(Tk)[None] < torch.tensor([[5], [3]]))[:, None, None, :]
    x1 = torch.randn(B, Tq, d, dtype=torch.float64, requires_grad=True)
    c1 = torch.randn(B, Tk, d, dtype=torch.float64, requires_grad=True)
    x2 = x1.detach().clone().requires_grad_(True)
    c2 = c1.detach().clone().requires_grad_(True)
    g = torch.randn(B, Tq, d, dtype=torch.float64)
    (m(x1, c1, keep) * g).sum().backward()
    (torch_attention(twin, x2, c2, keep) * g).sum().backward()
    torch.testing.assert_close(x1.grad, x2.grad, rtol=1e-10, atol=1e-12)
    torch.testing.assert_close(c1.grad, c2.grad, rtol=1e-10, atol=1e-12)
    in_grad = torch.cat([m.q_proj.weight.grad, m.k_proj.weight.grad, m.v_proj.weight.grad])
    torch.testing.assert_close(in_grad, twin.in_proj_weight.grad, rtol=1e-10, atol=1e-12)
    torch.testing.assert_close(m.o_proj.weight.grad, twin.out_proj.weight.grad, rtol=1e-10, atol=1e-12)
    for name, p in m.named_parameters():
        assert p.grad is not None and p.grad.abs().sum() > 0, name


def test_float32_close_to_float64_and_dtype_kept():
    m64 = make(16, 4)
    m32 = CrossAttention(16, 4)
    m32.load_state_dict({k: v.float() for k, v in m64.state_dict().items()}, strict=True)
    x = torch.randn(2, 3, 16, dtype=torch.float64)
    ctx = torch.randn(2, 7, 16, dtype=torch.float64)
    with torch.no_grad():
        out32 = m32.eval()(x.float(), ctx.float())
    assert out32.dtype == torch.float32 and out32.shape == (2, 3, 16)
    torch.testing.assert_close(out32.double(), m64(x, ctx), rtol=1e-4, atol=1e-5)


def test_parameters_and_state_dict():
    shapes = {k: tuple(v.shape) for k, v in CrossAttention(12, 3).state_dict().items()}
    want = {}
    for p in ("q_proj", "k_proj", "v_proj", "o_proj"):
        want[f"{p}.weight"] = (12, 12)
        want[f"{p}.bias"] = (12,)
    assert shapes == want


@pytest.mark.parametrize("d_model,num_heads", [(10, 3), (8, 3), (6, 4)])
def test_impossible_heads_raise(d_model, num_heads):
    with pytest.raises(ValueError):
        CrossAttention(d_model, num_heads)
