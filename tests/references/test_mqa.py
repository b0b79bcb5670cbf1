"""The mqa reference against F.scaled_dot_product_attention with one kv head broadcast to
every query head, and against nn.MultiheadAttention whose k/v weights repeat the shared head."""
import pytest
import torch
import torch.nn.functional as F
from torch import nn

from tests.attention_helpers import self_attention_masks, torch_attention
from tests.helpers import load_solution

ref = load_solution("mqa")
MultiQueryAttention = ref.MultiQueryAttention


def make(d_model, num_heads, dtype=torch.float64, seed=0):
    torch.manual_seed(seed)
    m = MultiQueryAttention(d_model, num_heads).to(dtype).eval()
    with torch.no_grad():
        for p in m.parameters():
            p.normal_(0, 0.3)
    return m


def sdpa_oracle(m, x, mask):
    B, T, D = x.shape
    H = m.num_heads
    d = D // H
    q = F.linear(x, m.q_proj.weight, m.q_proj.bias).view(B, T, H, d).transpose(1, 2)
    k = F.linear(x, m.k_proj.weight, m.k_proj.bias)[:, None].expand(B, H, T, d)
    v = F.linear(x, m.v_proj.weight, m.v_proj.bias)[:, None].expand(B, H, T, d)
    attn_mask = None if mask is None else mask.bool()
    o = F.scaled_dot_product_attention(q, k, v, attn_mask=attn_mask)
    return F.linear(o.transpose(1, 2).reshape(B, T, D), m.o_proj.weight, m.o_proj.bias)


def mha_twin(m):
    """nn.MultiheadAttention whose H key/value heads all carry the one shared head's weights."""
    D, H = m.q_proj.in_features, m.num_heads
    twin = nn.MultiheadAttention(D, H, batch_first=True, dtype=m.q_proj.weight.dtype).eval()
    with torch.no_grad():
        twin.in_proj_weight.copy_(torch.cat([m.q_proj.weight, m.k_proj.weight.repeat(H, 1),
                                             m.v_proj.weight.repeat(H, 1)]))
        twin.in_proj_bias.copy_(torch.cat([m.q_proj.bias, m.k_proj.bias.repeat(H),
                                           m.v_proj.bias.repeat(H)]))
        twin.out_proj.weight.copy_(m.o_proj.weight)
        twin.out_proj.bias.copy_(m.o_proj.bias)
    return twin


SHAPES = [(2, 5, 16, 4), (1, 7, 12, 3), (3, 1, 8, 2), (1, 4, 8, 1), (2, 6, 32, 8)]


@pytest.mark.parametrize("B,T,d,H", SHAPES)
def test_matches_torch(B, T, d, H):
    gen = torch.Generator().manual_seed(B * 100 + T)
    m = make(d, H, seed=T)
    twin = mha_twin(m)
    x = torch.randn(B, T, d, generator=gen, dtype=torch.float64)
    for name, mask in self_attention_masks(B, H, T, gen).items():
        with torch.no_grad():
            got = m(x.clone(), mask)
            want = sdpa_oracle(m, x, mask)
            want2 = torch_attention(twin, x, x, mask)
        assert got.shape == (B, T, d) and got.dtype == torch.float64
        torch.testing.assert_close(got, want, rtol=1e-10, atol=1e-12, msg=name)
        torch.testing.assert_close(got, want2, rtol=1e-10, atol=1e-12, msg=name)


def test_gradients_match_autograd_of_sdpa():
    B, T, D, H = 2, 5, 16, 4
    m, m2 = make(D, H), make(D, H)
    mask = torch.ones(T, T, dtype=torch.bool).tril()
    x1 = torch.randn(B, T, D, dtype=torch.float64, requires_grad=True)
    x2 = x1.detach().clone().requires_grad_(True)
    g = torch.randn(B, T, D, dtype=torch.float64)
    (m(x1, mask) * g).sum().backward()
    (sdpa_oracle(m2, x2, mask) * g).sum().backward()
    torch.testing.assert_close(x1.grad, x2.grad, rtol=1e-10, atol=1e-12)
    for (name, p), p2 in zip(m.named_parameters(), m2.parameters()):
        torch.testing.assert_close(p.grad, p2.grad, rtol=1e-10, atol=1e-12, msg=name)
        assert p.grad.abs().sum() > 0, name


def test_causal_and_padding_semantics():
    m = make(8, 2)
    T = 6
    causal = torch.ones(T, T, dtype=torch.bool).tril()
    x = torch.randn(2, T, 8, dtype=torch.float64)
    y = x.clone()
    y[:, 3:] += 1.0
    with torch.no_grad():
        torch.testing.assert_close(m(x, causal)[:, :3], m(y, causal)[:, :3], rtol=0, atol=1e-12)
        pad = torch.tensor([[1, 1, 1, 0, 0, 0]] * 2)[:, None, None, :]
        a, b = m(x, pad), m(y, pad)
    torch.testing.assert_close(a[:, :3], b[:, :3], rtol=0, atol=1e-12)


def test_float32_and_parameter_shapes():
    m = MultiQueryAttention(32, 8)
    shapes = {k: tuple(v.shape) for k, v in m.state_dict().items()}
    assert shapes == {
        "q_proj.weight": (32, 32), "q_proj.bias": (32,),
        "k_proj.weight": (4, 32), "k_proj.bias": (4,),
        "v_proj.weight": (4, 32), "v_proj.bias": (4,),
        "o_proj.weight": (32, 32), "o_proj.bias": (32,),
    }
    m64 = make(32, 8)
    m.load_state_dict({k: v.float() for k, v in m64.state_dict().items()})
    x = torch.randn(2, 4, 32, dtype=torch.float64)
    with torch.no_grad():
        out = m.eval()(x.float())
        assert out.dtype == torch.float32
        torch.testing.assert_close(out.double(), m64(x), rtol=1e-4, atol=1e-5)


@pytest.mark.parametrize("d_model,num_heads", [(10, 3), (8, 3), (6, 4)])
def test_impossible_heads_raise(d_model, num_heads):
    with pytest.raises(ValueError):
        MultiQueryAttention(d_model, num_heads)
