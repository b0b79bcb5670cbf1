import math
import warnings

import torch

from harness.engine import Fail, Grader
from harness.engine import torchkit as tk
from harness.engine.compare import first_match
from harness.engine.inplace import Held, assert_same_objects, grads_of

grader = Grader("clip_grad_norm", pure=False, forbidden=[
    "torch.nn.utils.clip_grad_norm_", "torch.nn.utils.clip_grad_norm", "torch.nn.utils.clip_grad.clip_grad_norm_",
    "torch.nn.utils.clip_grad.clip_grad_norm", "torch.nn.utils.clip_grads_with_norm_",
    "torch.nn.utils.clip_grad.clip_grads_with_norm_", "torch.nn.utils.get_total_norm",
    "torch.nn.utils.clip_grad.get_total_norm", "torch.nn.utils.clip_grad._get_total_norm",
    "torch.nn.utils.clip_grad._clip_grads_with_norm_", "torch._foreach_norm",
    "*.clip_grad_norm_", "*.clip_grads_with_norm_", "*.get_total_norm", "*._get_total_norm",
    "*._clip_grads_with_norm_", "*._foreach_norm",
])
TOL = {torch.float64: (1e-6, 1e-9), torch.float32: (1e-5, 1e-6)}
INF = math.inf


class Spec:
    """One graded call: the grads (None = a parameter without one), how `parameters` is
    handed over ("list", "generator" or "tensor"), max_norm and norm_type."""

    def __init__(self, grads, max_norm, norm_type=2.0, form="list", label=""):
        self.grads, self.max_norm, self.norm_type, self.form, self.label = grads, max_norm, norm_type, form, label

    def params(self):
        """Fresh parameters with fresh copies of the grads (the built-in and the attempt each get their own)."""
        out = []
        for i, g in enumerate(self.grads):
            shape, dtype = (g.shape, g.dtype) if g is not None else ((2,), self.dtype)
            p = (torch.arange(math.prod(shape), dtype=dtype).reshape(shape) * 0.1 - i).requires_grad_(True)
            p.grad = None if g is None else g.clone()
            out.append(p)
        return out

    @property
    def dtype(self):
        return next((g.dtype for g in self.grads if g is not None), torch.float64)

    def handed(self, params):
        if self.form == "tensor":
            return params[0]
        return (p for p in params) if self.form == "generator" else list(params)

    def render(self, total=None):
        parts = [f"grad {tuple(g.shape)}" if g is not None else "grad None" for g in self.grads]
        holder = {"list": "[{}]", "generator": "(p for p in [{}])", "tensor": "{}"}[self.form]
        dtype = str(self.dtype).replace("torch.", "")
        text = (f"clip_grad_norm({holder.format(', '.join(parts))}, max_norm={self.max_norm!r}, "
                f"norm_type={self.norm_type!r}); {dtype} grads")
        if total is not None:
            text += f", total norm {float(total):.6g}"
        return (f"{self.label}: " if self.label else "") + text


def _scaled(gen, shapes, dtype, total, norm_type):
    """Random grads whose joint norm_type-norm is exactly ``total`` (up to rounding)."""
    grads = [torch.randn(s, generator=gen, dtype=torch.float64) for s in shapes]
    flat = torch.cat([g.reshape(-1) for g in grads])
    now = float(torch.linalg.vector_norm(flat, norm_type))
    return [(g * (total / now)).to(dtype) for g in grads]


def _suspects(spec, total):
    """Known wrong results (norm, grads) for a case, keyed by the message naming the mistake."""
    grads = [g.double() for g in spec.grads if g is not None]
    nt, mx = spec.norm_type, spec.max_norm
    norms = torch.stack([torch.linalg.vector_norm(g, nt) for g in grads])
    two = torch.stack([torch.linalg.vector_norm(g, 2) for g in grads])
    coef = min(1.0, mx / (total + 1e-6))
    out = {
        "the test is max_norm/(total + 1e-6) < 1, which also scales a total a hair under max_norm; "
        "`total > max_norm` misses it": (total, [g * (mx / (total + 1e-6) if total > mx else 1.0) for g in grads]),
        "each tensor was clipped by its own norm; the norm is one number for all grads together": (
            total, [g * min(1.0, mx / (float(n) + 1e-6)) for g, n in zip(grads, norms)]),
        "the coefficient is max_norm/(total + 1e-6): yours leaves out the 1e-6": (
            total, [g * min(1.0, mx / total) for g in grads]),
        "the per-tensor norms were summed; the total is the norm of the vector of per-tensor norms": (
            float(norms.sum()), [g * min(1.0, mx / (float(norms.sum()) + 1e-6)) for g in grads]),
        "return the total norm from before clipping, not after": (
            total * coef, [g * coef for g in grads]),
        "never scale grads up: only a coefficient below 1 is applied": (
            total, [g * (mx / (total + 1e-6)) for g in grads]),
    }
    if math.isinf(nt):
        out["the inf norm is the largest |g| over all entries, not the largest per-tensor 2-norm"] = (
            float(two.max()), [g * min(1.0, mx / (float(two.max()) + 1e-6)) for g in grads])
    return out


def _named(spec, total, got_norm, got_grads):
    """The message of the first known mistake whose (norm, grads) the attempt reproduced."""
    got = torch.cat([g.reshape(-1) for g in got_grads])
    right = torch.cat([g.double().reshape(-1) * min(1.0, spec.max_norm / (total + 1e-6))
                       for g in spec.grads if g is not None])
    for message, (norm, grads) in _suspects(spec, total).items():
        wrong = torch.cat([g.reshape(-1) for g in grads])
        if abs(norm - total) <= 1e-9 * total and torch.allclose(wrong, right, rtol=1e-9, atol=0):
            continue  # on this case the mistake gives the right answer: it names nothing
        if abs(got_norm - norm) <= 1e-6 * abs(norm) + 1e-12 and first_match(got, {message: wrong}, 1e-6, 1e-12):
            return message
    return None


def run_case(ctx, spec):
    """Built-in on one copy, attempt on another: norm, grads, identity, parameters."""
    expected_params = spec.params()
    with warnings.catch_warnings():  # the built-in warns about an empty generator; not the attempt's doing
        warnings.simplefilter("ignore")
        want = torch.nn.utils.clip_grad_norm_(spec.handed(expected_params), spec.max_norm, spec.norm_type)
    params = spec.params()
    names = [f"`.grad` of parameter {i}" for i in range(len(params))]
    grads_held = Held(grads_of(params), names)
    params_held = Held([p.detach() for p in params], [f"parameter {i}" for i in range(len(params))])
    total = float(want)
    case = spec.render(total if spec.grads and any(g is not None for g in spec.grads) else None)
    got = ctx.attempt.clip_grad_norm(spec.handed(params), spec.max_norm, spec.norm_type)
    params_held.assert_unchanged(why="only the gradients may change, never the parameter values", case=case)
    assert_same_objects(grads_held, grads_of(params), what="`.grad`", case=case,
                        hint="scale the very tensor in place (g.mul_(coef)); assigning p.grad = … is not in place")
    generator = " (`parameters` was a one-shot generator: iterate it once, e.g. list(parameters) first)" \
        if spec.form == "generator" else ""
    if not isinstance(got, torch.Tensor) or got.dim() != 0:
        raise Fail("clip_grad_norm must return the total norm as a 0-d tensor", case=case, got=repr(got))
    if not any(g is not None for g in spec.grads):
        if float(got) != 0.0:
            raise Fail("with no gradient at all the total norm is 0", case=case, got=repr(got))
        return
    if got.dtype != spec.dtype:
        raise Fail(f"the total norm must have the grads' dtype {spec.dtype}, got {got.dtype}", case=case)
    rtol, atol = TOL[spec.dtype]
    got_grads = [g for g in grads_of(params) if g is not None]
    reason = _named(spec, total, float(got), got_grads) if spec.dtype == torch.float64 else None
    try:
        tk.compare_tensor(want, got, "total norm", (rtol, atol), case=case)
        if coef_at_least_one(spec, total):
            grads_held.assert_unchanged(case=case, why=f"max_norm/(total + 1e-6) = "
                                        f"{spec.max_norm / (total + 1e-6):.6g} ≥ 1, so the grads must stay bit-identical")
        else:
            grads_held.assert_values(grads_of(expected_params), rtol=rtol, atol=atol, what="values after clipping",
                                     case=case, stale_is_rebound=False)  # identity is checked above
    except Fail as fail:
        if reason:
            fail.message = f"{reason} ({fail.message})"
        fail.message += generator
        raise


def coef_at_least_one(spec, total):
    return spec.max_norm / (total + 1e-6) >= 1


def cases(name):
    """Declare a row: the decorated ``fn(gen)`` yields :class:`Spec` small to large."""

    def register(fn):
        @grader.property(name)
        def run(ctx):
            for spec in fn(tk.generator(ctx.rng)):
                run_case(ctx, spec)

        return fn

    return register


SHAPES = [[(5,)], [(3, 4)], [(), (5,)], [(3, 4), (5,), (), (2, 3, 2)]]
NORMS = [1.0, 2.0, 3.0, INF]


@cases("returns the norm of all grads as one vector, a 0-d tensor of their dtype (norm_type 1, 2, 3, inf)")
def norms(gen):
    for shapes in SHAPES:
        for nt in NORMS:
            yield Spec(_scaled(gen, shapes, torch.float64, 0.5 + 3 * torch.rand(1, generator=gen).item(), nt), 100.0, nt)


@cases("above max_norm every grad is scaled in place by max_norm/(total + 1e-6) (norm_type 1, 2, 3, inf)")
def clipping(gen):
    for shapes in SHAPES:
        for nt in NORMS:
            yield Spec(_scaled(gen, shapes, torch.float64, 5.0, nt), 1.0, nt)
    yield Spec(_scaled(gen, [(3, 4), (5,)], torch.float64, 1e6, 2.0), 1.0, 2.0, label="total 1e6")


@cases("below max_norm the grads stay bit-identical (never scaled up)")
def below(gen):
    for shapes in SHAPES:
        for nt in (2.0, INF, 1.0):
            yield Spec(_scaled(gen, shapes, torch.float64, 0.5, nt), 1.0, nt)


@cases("the 1e-6 in max_norm/(total + 1e-6): total 1e-2 with max_norm 1e-3, total 0.999e-4 with max_norm 1e-4 "
       "(still scaled)")
def epsilon(gen):
    yield Spec(_scaled(gen, [(3, 4), (5,)], torch.float64, 1e-2, 2.0), 1e-3, 2.0)
    yield Spec(_scaled(gen, [(3, 4), (5,)], torch.float64, 0.999e-4, 2.0), 1e-4, 2.0)
    yield Spec(_scaled(gen, [(2, 3, 2)], torch.float64, 0.999e-4, INF), 1e-4, INF)


@cases("a list, a one-shot generator and a single tensor; tensors whose .grad is None are skipped")
def forms(gen):
    for form in ("tensor", "list", "generator"):
        for total, nt in ((5.0, 2.0), (0.5, 2.0), (5.0, INF)):
            shapes = [(3, 4)] if form == "tensor" else [(3, 4), (5,), (2, 3, 2)]
            grads = _scaled(gen, shapes, torch.float64, total, nt)
            if form != "tensor":
                grads.insert(1, None)
            yield Spec(grads, 1.0, nt, form=form)


@cases("float32 grads: norm and clipped grads in float32 (norm_type 1, 2, 3, inf; total up to 1e6)")
def float32(gen):
    for nt in NORMS:
        yield Spec(_scaled(gen, [(3, 4), (5,), ()], torch.float32, 5.0, nt), 1.0, nt)
    yield Spec(_scaled(gen, [(3, 4), (5,)], torch.float32, 0.5, 2.0), 1.0, 2.0)
    yield Spec(_scaled(gen, [(3, 4), (5,)], torch.float32, 1e6, 2.0), 1.0, 2.0, label="total 1e6")


@cases("no gradient at all (a list, an empty list, a generator): returns 0 and changes nothing")
def no_grads(gen):
    yield Spec([None, None], 1.0, 2.0, form="list")
    yield Spec([], 1.0, 2.0, form="list")
    yield Spec([None], 1.0, 2.0, form="generator")
    yield Spec([], 1.0, INF, form="generator")


def _speed_case(rng):
    """Parameters with their grads in the case itself: the engine copies them outside the timer."""
    from harness.engine import Case

    gen = tk.generator(rng)
    return Case(Spec(_scaled(gen, [(512, 512)] * 8 + [(512,)] * 8, torch.float64, 10.0, 2.0), 1.0).params(), 1.0)


grader.speed(_speed_case, label="16 parameters, 2.1 M gradient entries")
