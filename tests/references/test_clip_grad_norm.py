"""The reference clip_grad_norm against torch.nn.utils.clip_grad_norm_ on copies."""
import math

import pytest
import torch

from tests.helpers import load_solution

ref = load_solution("clip_grad_norm")
SHAPES = [(3, 4), (5,), (), (2, 3, 2)]


def _pair(grads, requires=True):
    def make():
        ps = []
        for i, g in enumerate(grads):
            p = torch.full(g.shape if g is not None else (2,), float(i), dtype=torch.float64 if g is None else g.dtype,
                           requires_grad=requires)
            p.grad = None if g is None else g.clone()
            ps.append(p)
        return ps

    return make(), make()


def _check(grads, max_norm, norm_type, form="list"):
    theirs, mine = _pair(grads)
    ids = [p.grad for p in mine]
    values = [p.detach().clone() for p in mine]
    before = [None if g is None else g.clone() for g in ids]
    hand = {"list": list, "generator": lambda ps: (p for p in ps), "tensor": lambda ps: ps[0]}[form]
    want = torch.nn.utils.clip_grad_norm_(hand(theirs), max_norm, norm_type)
    got = ref.clip_grad_norm(hand(mine), max_norm, norm_type)
    assert got.dim() == 0 and float(got) == pytest.approx(float(want), rel=1e-12, abs=0)
    used = mine[:1] if form == "tensor" else mine
    for p, q, g0, b in zip(theirs, used, ids, before):
        assert q.grad is g0  # the very .grad objects
        if g0 is not None:
            assert torch.allclose(q.grad, p.grad, rtol=1e-12, atol=0)
            if float(max_norm / (float(want) + 1e-6)) >= 1:
                assert torch.equal(q.grad, b)  # bit-identical under the threshold
    assert all(torch.equal(p.detach(), v) for p, v in zip(mine, values))
    return got


@pytest.mark.parametrize("norm_type", [1.0, 2.0, 3.0, math.inf])
@pytest.mark.parametrize("max_norm", [0.1, 1.0, 1e3])
@pytest.mark.parametrize("dtype", [torch.float64, torch.float32])
def test_matches_builtin(norm_type, max_norm, dtype):
    gen = torch.Generator().manual_seed(0)
    grads = [torch.randn(s, generator=gen, dtype=torch.float64).to(dtype) for s in SHAPES]
    got = _check(grads, max_norm, norm_type)
    assert got.dtype == dtype


@pytest.mark.parametrize("form", ["list", "generator", "tensor"])
def test_forms_and_missing_grads(form):
    gen = torch.Generator().manual_seed(1)
    grads = [torch.randn(s, generator=gen, dtype=torch.float64) * 3 for s in SHAPES]
    if form != "tensor":
        grads[1] = None
    _check(grads, 1.0, 2.0, form)


@pytest.mark.parametrize("total, max_norm, scaled", [(1e-2, 1e-3, True), (0.999e-4, 1e-4, True), (1e6, 1.0, True),
                                                     (0.5, 1.0, False)])
def test_the_epsilon_and_extreme_totals(total, max_norm, scaled):
    gen = torch.Generator().manual_seed(2)
    grads = [torch.randn(s, generator=gen, dtype=torch.float64) for s in [(3, 4), (5,)]]
    norm = torch.linalg.vector_norm(torch.cat([g.reshape(-1) for g in grads]))
    grads = [g * (total / norm) for g in grads]
    _, mine = _pair(grads)
    before = [p.grad.clone() for p in mine]
    ref.clip_grad_norm(mine, max_norm)
    changed = not all(torch.equal(p.grad, b) for p, b in zip(mine, before))
    assert changed == scaled
    _check(grads, max_norm, 2.0)


def test_the_norm_of_the_concatenation():
    gen = torch.Generator().manual_seed(3)
    grads = [torch.randn(s, generator=gen, dtype=torch.float64) for s in SHAPES]
    flat = torch.cat([g.reshape(-1) for g in grads])
    for nt in (1.0, 2.0, 3.0):
        _, mine = _pair(grads)
        assert float(ref.clip_grad_norm(mine, 1e9, nt)) == pytest.approx(float((flat.abs() ** nt).sum() ** (1 / nt)))
    _, mine = _pair(grads)
    assert float(ref.clip_grad_norm(mine, 1e9, math.inf)) == float(flat.abs().max())


@pytest.mark.parametrize("params", [lambda: [torch.zeros(2, requires_grad=True)], lambda: [],
                                    lambda: (p for p in [torch.zeros(2, requires_grad=True)]), lambda: iter([])])
def test_no_grads(params):
    out = ref.clip_grad_norm(params(), 1.0)
    assert out.dim() == 0 and float(out) == 0.0
