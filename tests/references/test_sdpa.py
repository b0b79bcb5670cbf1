"""The sdpa reference against torch's own scaled_dot_product_attention given the explicit
boolean mask of the contract's rules (rows with no allowed key: zeros), values and gradients."""
import pytest
import torch
import torch.nn.functional as F

from tests.helpers import load_solution

sdpa = load_solution("sdpa").scaled_dot_product_attention
f64 = torch.float64


def explicit_allowed(tq, tk, lead, mask=None, causal=False, window=None):
    """The contract's rules written element by element (loops): (..., Tq, Tk) bool."""
    allowed = torch.ones(*lead, tq, tk, dtype=torch.bool)
    if mask is not None:
        allowed &= mask.bool().expand(*lead, tq, tk)
    if causal:
        rule = torch.zeros(tq, tk, dtype=torch.bool)
        for i in range(tq):
            for j in range(tk):
                pos = i + tk - tq  # the absolute position of query i
                rule[i, j] = j <= pos and (window is None or pos - j < window)
        allowed &= rule
    return allowed


def ground_truth(q, k, v, allowed, scale=None):
    """torch SDPA on the explicit mask; empty rows get a dummy key, then are zeroed."""
    empty = ~allowed.any(-1, keepdim=True)
    safe = allowed | empty
    out = F.scaled_dot_product_attention(q, k, v, attn_mask=safe, scale=scale)
    return out * (~empty).to(out.dtype)


CASES = [  # lead, Tq, Tk, d, dv
    ((), 1, 1, 1, 1), ((), 3, 5, 4, 2), ((2,), 4, 4, 8, 3), ((2, 3), 5, 2, 4, 4), ((1, 2, 2), 3, 7, 9, 5),
]


def inputs(lead, tq, tk, d, dv, seed):
    g = torch.Generator().manual_seed(seed)
    return (torch.randn(*lead, tq, d, generator=g, dtype=f64), torch.randn(*lead, tk, d, generator=g, dtype=f64),
            torch.randn(*lead, tk, dv, generator=g, dtype=f64))


def settings(lead, tq, tk, g):
    full = torch.rand(*lead, tq, tk, generator=g) < 0.5
    small = torch.rand(tq, tk, generator=g) < 0.5
    yield {}, None
    yield {"scale": 0.37}, None
    for m in (full, full.long(), full.int(), small, small.int()):
        yield {"attn_mask": m}, m
        yield {"attn_mask": m, "is_causal": True}, m
    if lead:
        pad = torch.rand(lead[0], *[1] * len(lead), tk, generator=g) < 0.7
        yield {"attn_mask": pad.long()}, pad
    yield {"is_causal": True}, None
    for w in (1, 2, 3, tk + 1):
        yield {"is_causal": True, "window": w}, None
        yield {"is_causal": True, "window": w, "attn_mask": small}, small


@pytest.mark.parametrize("lead,tq,tk,d,dv", CASES)
def test_values_and_gradients_match_torch_sdpa(lead, tq, tk, d, dv):
    g = torch.Generator().manual_seed(tq * 10 + tk)
    for kwargs, mask in settings(lead, tq, tk, g):
        q, k, v = inputs(lead, tq, tk, d, dv, seed=tq + tk)
        allowed = explicit_allowed(tq, tk, lead, mask, kwargs.get("is_causal", False), kwargs.get("window"))
        leaves = [t.clone().requires_grad_(True) for t in (q, k, v)]
        twins = [t.clone().requires_grad_(True) for t in (q, k, v)]
        got = sdpa(*leaves, **kwargs)
        want = ground_truth(*twins, allowed, kwargs.get("scale"))
        torch.testing.assert_close(got, want, rtol=1e-10, atol=1e-12, msg=str(kwargs))
        weights = torch.randn(got.shape, generator=g, dtype=f64)
        (got * weights).sum().backward()
        (want * weights).sum().backward()
        for a, b in zip(leaves, twins):
            assert torch.isfinite(a.grad).all()
            torch.testing.assert_close(a.grad, b.grad, rtol=1e-9, atol=1e-12, msg=str(kwargs))


def test_equals_torch_is_causal_when_square_and_differs_when_not():
    q, k, v = inputs((2,), 4, 4, 8, 8, seed=0)
    torch.testing.assert_close(sdpa(q, k, v, is_causal=True), F.scaled_dot_product_attention(q, k, v, is_causal=True))
    q, k, v = inputs((2,), 2, 5, 8, 8, seed=1)
    assert not torch.allclose(sdpa(q, k, v, is_causal=True), F.scaled_dot_product_attention(q, k, v, is_causal=True))


def test_empty_rows_are_zero_with_zero_gradient():
    q, k, v = (t.requires_grad_(True) for t in inputs((), 4, 2, 3, 3, seed=2))
    out = sdpa(q, k, v, is_causal=True)  # queries 0 and 1 sit before the first key
    assert torch.equal(out[:2], torch.zeros(2, 3, dtype=f64))
    out.sum().backward()
    assert torch.equal(q.grad[:2], torch.zeros(2, 3, dtype=f64))
    assert torch.isfinite(k.grad).all() and torch.isfinite(v.grad).all()


def test_window_counts_keys():
    q, k, v = inputs((), 6, 6, 2, 6, seed=3)
    v = torch.eye(6, dtype=f64)  # output row i = the weights of query i
    for w in (1, 2, 3, 10):
        weights = sdpa(q, k, v, is_causal=True, window=w)
        assert ((weights > 0).sum(-1) == torch.clamp(torch.arange(1, 7), max=w)).all()


def test_errors_dtype_device_and_purity():
    q, k, v = inputs((1,), 2, 3, 4, 4, seed=4)
    for kwargs in ({"window": 2}, {"is_causal": True, "window": 0}, {"is_causal": True, "window": -1}):
        with pytest.raises(ValueError):
            sdpa(q, k, v, **kwargs)
    mask = torch.tensor([[1, 0, 1], [0, 1, 1]])
    before = [t.clone() for t in (q, k, v, mask)]
    out = sdpa(q.float(), k.float(), v.float(), attn_mask=mask, is_causal=True)
    assert out.dtype == torch.float32
    sdpa(q, k, v, attn_mask=mask, is_causal=True, scale=0.5)
    assert all(torch.equal(a, b) for a, b in zip(before, (q, k, v, mask)))
    meta = sdpa(*(t.to("meta") for t in (q, k, v)), attn_mask=mask.to("meta"), is_causal=True, window=1)
    assert meta.device.type == "meta" and meta.shape == (1, 2, 4)
