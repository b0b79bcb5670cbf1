"""The moe reference against a dense MoE (every expert on every token, a gate matrix from
torch.topk of the softmax), values and autograd gradients, and the balancing loss's closed forms."""
import pytest
import torch
import torch.nn.functional as F

from tests.helpers import load_solution

MoE = load_solution("moe").MoE
f64 = torch.float64


def make(d, d_ff, E, k, seed=0):
    torch.manual_seed(seed)
    m = MoE(d, d_ff, E, k).double()
    with torch.no_grad():
        for p in m.parameters():
            p.normal_(0, 0.5)
    return m


def dense(m, x):
    h = x.reshape(-1, x.shape[-1])
    probs = torch.softmax(h @ m.router.weight.T, -1)
    top_p, top_i = torch.topk(probs, m.top_k, -1)
    gate = torch.zeros_like(probs).scatter(-1, top_i, top_p / top_p.sum(-1, keepdim=True))
    outs = torch.stack([F.linear(F.silu(F.linear(h, e.w1.weight, e.w1.bias)), e.w2.weight, e.w2.bias)
                        for e in m.experts], 1)
    y = (gate[..., None] * outs).sum(1)
    chosen = (gate > 0).to(h.dtype)  # a token's chosen experts (renormalised weights are > 0)
    f = chosen.sum(0) / (h.shape[0] * m.top_k)
    return y.reshape(x.shape), m.num_experts * (f * probs.mean(0)).sum()


@pytest.mark.parametrize("d,d_ff,E,k,B,T", [(4, 6, 2, 1, 1, 1), (6, 8, 4, 2, 2, 3), (8, 12, 3, 3, 1, 5),
                                            (8, 16, 6, 2, 3, 7), (12, 10, 8, 3, 2, 16)])
def test_matches_a_dense_moe_with_gradients(d, d_ff, E, k, B, T):
    m = make(d, d_ff, E, k, seed=B * T)
    g = torch.Generator().manual_seed(E)
    x = torch.randn(B, T, d, generator=g, dtype=f64)
    w = torch.randn(B, T, d, generator=g, dtype=f64)

    def grads(fn):
        leaf = x.clone().requires_grad_(True)
        y, aux = fn(leaf)
        loss = (y * w).sum() + 0.7 * aux
        return y, aux, torch.autograd.grad(loss, [leaf, *m.parameters()], allow_unused=True)

    y1, a1, g1 = grads(m)
    y2, a2, g2 = grads(lambda t: dense(m, t))
    torch.testing.assert_close(y1, y2, rtol=1e-10, atol=1e-12)
    torch.testing.assert_close(a1, a2, rtol=1e-12, atol=1e-12)
    assert a1.dim() == 0
    for a, b in zip(g1, g2):
        if a is None or b is None:  # an expert nobody chose: skipped (None) or zero
            assert all(t is None or torch.count_nonzero(t) == 0 for t in (a, b))
        else:
            torch.testing.assert_close(a, b, rtol=1e-9, atol=1e-11)
    router_grad = torch.autograd.grad(m(x)[1], m.router.weight)[0]
    assert torch.count_nonzero(router_grad) > 0


def test_balancing_loss_closed_forms_and_top_k_all():
    m = make(4, 6, 4, 4)
    x = torch.randn(2, 3, 4, dtype=f64)
    _, aux = m(x)
    torch.testing.assert_close(aux, torch.tensor(1.0, dtype=f64))  # every expert chosen by every token: f = 1/E
    m = make(4, 6, 3, 1)
    with torch.no_grad():
        m.router.weight.zero_()  # uniform probabilities: aux = E · Σ f_e / E = 1 whatever the counts
    _, aux = m(torch.randn(1, 5, 4, dtype=f64))
    torch.testing.assert_close(aux, torch.tensor(1.0, dtype=f64))


def test_each_expert_sees_only_its_tokens_and_errors():
    m = make(6, 8, 4, 2)
    x = torch.randn(2, 5, 6, dtype=f64)
    rows = [0] * 4
    handles = [e.w1.register_forward_pre_hook(lambda mod, args, i=i: rows.__setitem__(i, rows[i] + args[0].shape[0]))
               for i, e in enumerate(m.experts)]
    m(x)
    for h in handles:
        h.remove()
    chosen = torch.topk(m.router(x.reshape(-1, 6)), 2, -1).indices
    assert rows == [int((chosen == e).sum()) for e in range(4)]
    assert sorted(m.state_dict()) == sorted(["router.weight"] + [f"experts.{e}.w{i}.{p}" for e in range(4)
                                                                  for i in (1, 2) for p in ("weight", "bias")])
    y, aux = MoE(6, 8, 4, 2)(torch.randn(1, 2, 6))
    assert y.dtype == aux.dtype == torch.float32
    for k in (0, 5):
        with pytest.raises(ValueError):
            MoE(6, 8, 4, k)
