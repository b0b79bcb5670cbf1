"""The kv_cache reference against torch built-ins (F.linear + torch SDPA with is_causal on the
whole sequence), and its cached runs (prefill + decode, chunked prefill) against its full one."""
import pytest
import torch
import torch.nn.functional as F

from tests.helpers import load_solution

Cached = load_solution("kv_cache").CachedSelfAttention
f64 = torch.float64


def make(d_model, heads, seed=0):
    torch.manual_seed(seed)
    m = Cached(d_model, heads).double().eval()
    with torch.no_grad():
        for p in m.parameters():
            p.normal_(0, 0.4)
    return m


def builtin(m, x):
    """Full causal attention written with torch's own kernels; returns (out, k, v)."""
    B, T, D = x.shape
    H = m.num_heads

    def heads(t):
        return t.reshape(B, T, H, D // H).transpose(1, 2)

    q, k, v = (heads(F.linear(x, p.weight, p.bias)) for p in (m.q_proj, m.k_proj, m.v_proj))
    out = F.scaled_dot_product_attention(q, k, v, is_causal=True)
    return F.linear(out.transpose(1, 2).reshape(B, T, D), m.o_proj.weight, m.o_proj.bias), k, v


def run_chunks(m, x, plan):
    outs, cache, start = [], None, 0
    for n in plan:
        out, cache = m(x[:, start:start + n], cache)
        assert cache[0].shape == (x.shape[0], m.num_heads, start + n, x.shape[2] // m.num_heads)
        outs.append(out)
        start += n
    return torch.cat(outs, 1), cache


@pytest.mark.parametrize("B,T,D,H", [(1, 1, 8, 2), (2, 5, 12, 3), (3, 9, 16, 4), (2, 7, 6, 1)])
def test_full_forward_matches_builtins(B, T, D, H):
    m = make(D, H, seed=T)
    x = torch.randn(B, T, D, generator=torch.Generator().manual_seed(B + T), dtype=f64)
    with torch.no_grad():
        out, (k, v) = m(x)
        want, k_ref, v_ref = builtin(m, x)
    torch.testing.assert_close(out, want, rtol=1e-10, atol=1e-12)
    torch.testing.assert_close(k, k_ref, rtol=0, atol=0)
    torch.testing.assert_close(v, v_ref, rtol=0, atol=0)


@pytest.mark.parametrize("plan", [[1, 1, 1, 1, 1, 1, 1], [3, 1, 1, 1, 1], [2, 3, 2], [1, 5, 1], [4, 3]])
def test_cached_runs_equal_the_full_forward_with_gradients(plan):
    m = make(12, 3)
    T = sum(plan)
    g = torch.Generator().manual_seed(T)
    x = torch.randn(2, T, 12, generator=g, dtype=f64)
    w_out, w_k = torch.randn(2, T, 12, generator=g, dtype=f64), torch.randn(2, 3, T, 4, generator=g, dtype=f64)

    def grads(fn):
        leaf = x.clone().requires_grad_(True)
        out, (k, v) = fn(leaf)
        loss = (out * w_out).sum() + (k * w_k).sum()
        return [out, k, v], torch.autograd.grad(loss, [leaf, *m.parameters()])

    (o1, k1, v1), g1 = grads(lambda t: (lambda o, k, v: (o, (k, v)))(*builtin(m, t)))
    values, g2 = grads(lambda t: run_chunks(m, t, plan))
    for a, b in zip([o1, k1, v1], values):
        torch.testing.assert_close(b, a, rtol=1e-10, atol=1e-12)
    for a, b in zip(g1, g2):
        torch.testing.assert_close(b, a, rtol=1e-9, atol=1e-11)


def test_cache_given_is_unchanged_dtype_device_kept_and_errors():
    m = make(8, 2)
    x = torch.randn(1, 4, 8, dtype=f64)
    _, cache = m(x)
    before = [c.clone() for c in cache]
    out, new = m(x[:, :1], cache)
    assert all(torch.equal(a, b) for a, b in zip(before, cache)) and new[0].shape == (1, 2, 5, 4)
    m32 = Cached(8, 2).eval()
    out32, cache32 = m32(torch.randn(2, 3, 8))
    assert out32.dtype == cache32[0].dtype == torch.float32
    meta_out, _ = Cached(8, 2).to("meta")(torch.randn(2, 3, 8, device="meta"))
    assert meta_out.device.type == "meta"
    assert list(m.state_dict()) == [f"{p}_proj.{w}" for p in "qkvo" for w in ("weight", "bias")]
    for bad in ((10, 3), (6, 4)):
        with pytest.raises(ValueError):
            Cached(*bad)
