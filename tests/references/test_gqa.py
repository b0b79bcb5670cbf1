"""The gqa reference against F.scaled_dot_product_attention(enable_gqa=True) and against
nn.MultiheadAttention whose k/v weights repeat each kv head for its group of query heads."""
import pytest
import torch
import torch.nn.functional as F
from torch import nn

from tests.attention_helpers import self_attention_masks, torch_attention
from tests.helpers import load_solution

ref = load_solution("gqa")
GroupedQueryAttention = ref.GroupedQueryAttention


def make(d_model, num_heads, num_kv_heads, dtype=torch.float64, seed=0):
    torch.manual_seed(seed)
    m = GroupedQueryAttention(d_model, num_heads, num_kv_heads).to(dtype).eval()
    with torch.no_grad():
        for p in m.parameters():
            p.normal_(0, 0.3)
    return m


def sdpa_oracle(m, x, mask):
    """torch's own GQA kernel: query head h reads kv head h // (H / KV)."""
    B, T, D = x.shape
    H, KV = m.num_heads, m.num_kv_heads
    d = D // H
    q = F.linear(x, m.q_proj.weight, m.q_proj.bias).view(B, T, H, d).transpose(1, 2)
    k = F.linear(x, m.k_proj.weight, m.k_proj.bias).view(B, T, KV, d).transpose(1, 2)
    v = F.linear(x, m.v_proj.weight, m.v_proj.bias).view(B, T, KV, d).transpose(1, 2)
    attn_mask = None if mask is None else mask.bool()
    o = F.scaled_dot_product_attention(q, k, v, attn_mask=attn_mask, enable_gqa=True)
    return F.linear(o.transpose(1, 2).reshape(B, T, D), m.o_proj.weight, m.o_proj.bias)


def mha_twin(m):
    """nn.MultiheadAttention with every kv head's weights copied to its H/KV query heads."""
    D, H, KV = m.q_proj.in_features, m.num_heads, m.num_kv_heads
    d, G = D // H, H // KV

    def per_query_head(w):  # (KV*d, ...) -> (H*d, ...), kv head j repeated for heads jG..jG+G-1
        return w.reshape(KV, d, *w.shape[1:]).repeat_interleave(G, dim=0).reshape(H * d, *w.shape[1:])

    twin = nn.MultiheadAttention(D, H, batch_first=True, dtype=m.q_proj.weight.dtype).eval()
    with torch.no_grad():
        twin.in_proj_weight.copy_(torch.cat([m.q_proj.weight, per_query_head(m.k_proj.weight),
                                             per_query_head(m.v_proj.weight)]))
        twin.in_proj_bias.copy_(torch.cat([m.q_proj.bias, per_query_head(m.k_proj.bias),
                                           per_query_head(m.v_proj.bias)]))
        twin.out_proj.weight.copy_(m.o_proj.weight)
        twin.out_proj.bias.copy_(m.o_proj.bias)
    return twin


CONFIGS = [  # B, T, d_model, H, KV
    (2, 5, 32, 8, 2),
    (1, 6, 24, 6, 3),
    (2, 4, 16, 4, 4),   # KV = H: plain MHA
    (3, 5, 16, 4, 1),   # KV = 1: MQA
    (1, 1, 16, 8, 2),   # T = 1
    (2, 7, 12, 4, 2),
]


@pytest.mark.parametrize("B,T,D,H,KV", CONFIGS)
def test_matches_torch_gqa_and_expanded_mha(B, T, D, H, KV):
    gen = torch.Generator().manual_seed(T * 10 + KV)
    m = make(D, H, KV, seed=H + KV)
    twin = mha_twin(m)
    x = torch.randn(B, T, D, generator=gen, dtype=torch.float64)
    for name, mask in self_attention_masks(B, H, T, gen).items():
        with torch.no_grad():
            got = m(x.clone(), mask)
            want = sdpa_oracle(m, x, mask)
            want2 = torch_attention(twin, x, x, mask)
        assert got.shape == (B, T, D) and got.dtype == torch.float64
        torch.testing.assert_close(got, want, rtol=1e-10, atol=1e-12, msg=name)
        torch.testing.assert_close(got, want2, rtol=1e-10, atol=1e-12, msg=name)


def test_head_order_is_interleaved_not_tiled():
    """Query heads 0,1 share kv head 0 and heads 2,3 share kv head 1 (H=4, KV=2)."""
    m = make(8, 4, 2)
    x = torch.randn(1, 5, 8, dtype=torch.float64)
    d = 2
    with torch.no_grad():
        # zero kv head 1's value weights: then heads 2,3 output only v-bias of head 1
        m.v_proj.weight[d:2 * d] = 0
        m.v_proj.bias[d:2 * d] = torch.tensor([1.0, -2.0], dtype=torch.float64)
        m.o_proj.weight.copy_(torch.eye(8, dtype=torch.float64))
        m.o_proj.bias.zero_()
        out = m(x)
    want = torch.tensor([1.0, -2.0, 1.0, -2.0], dtype=torch.float64).expand(1, 5, 4)
    torch.testing.assert_close(out[..., 4:], want, rtol=0, atol=1e-12)
    assert not torch.allclose(out[..., 2:4], want[..., :2])


def test_kv_heads_equal_heads_is_mha():
    mha = load_solution("mha").MultiHeadAttention(16, 4).double().eval()
    g = GroupedQueryAttention(16, 4, 4).double().eval()
    g.load_state_dict(mha.state_dict(), strict=True)
    x = torch.randn(2, 5, 16, dtype=torch.float64)
    with torch.no_grad():
        torch.testing.assert_close(g(x), mha(x), rtol=1e-12, atol=1e-12)


def test_one_kv_head_is_mqa():
    mqa = load_solution("mqa").MultiQueryAttention(16, 4).double().eval()
    g = GroupedQueryAttention(16, 4, 1).double().eval()
    g.load_state_dict(mqa.state_dict(), strict=True)
    x = torch.randn(2, 5, 16, dtype=torch.float64)
    mask = torch.ones(5, 5, dtype=torch.bool).tril()
    with torch.no_grad():
        torch.testing.assert_close(g(x, mask), mqa(x, mask), rtol=1e-12, atol=1e-12)


def test_gradients_match_autograd_of_sdpa():
    B, T, D, H, KV = 2, 5, 16, 4, 2
    m = make(D, H, KV)
    m2 = make(D, H, KV)
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


def test_float32_and_parameter_shapes():
    m = GroupedQueryAttention(32, 8, 2)
    shapes = {k: tuple(v.shape) for k, v in m.state_dict().items()}
    assert shapes == {
        "q_proj.weight": (32, 32), "q_proj.bias": (32,),
        "k_proj.weight": (8, 32), "k_proj.bias": (8,),
        "v_proj.weight": (8, 32), "v_proj.bias": (8,),
        "o_proj.weight": (32, 32), "o_proj.bias": (32,),
    }
    m64 = make(32, 8, 2)
    m.load_state_dict({k: v.float() for k, v in m64.state_dict().items()})
    x = torch.randn(2, 4, 32, dtype=torch.float64)
    with torch.no_grad():
        out = m.eval()(x.float())
        assert out.dtype == torch.float32
        torch.testing.assert_close(out.double(), m64(x), rtol=1e-4, atol=1e-5)


@pytest.mark.parametrize("D,H,KV", [(30, 4, 2), (32, 8, 3), (32, 4, 8), (16, 6, 3), (16, 4, 0)])
def test_impossible_heads_raise(D, H, KV):
    with pytest.raises(ValueError):
        GroupedQueryAttention(D, H, KV)
