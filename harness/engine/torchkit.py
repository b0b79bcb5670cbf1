"""Torch primitives for graders: module parity, gradient parity, attention masks.

Module parity builds the reference and the attempt with the same constructor arguments,
gives the reference random weights, loads its ``state_dict`` into the attempt with
``strict=True`` and compares outputs (float64 tight, float32 looser) and, in float64, the
gradients of one scalar loss w.r.t. every parameter and the input.
"""
from __future__ import annotations

import inspect
from dataclasses import dataclass
from typing import Any, Callable, Iterable, Sequence

import torch

from . import devices, domains
from .compare import array_diff, close
from .errors import Fail
from .grader import Case, Check, Context, Grader
from .show import short

FLOAT32_TOL = (1e-4, 1e-5)  # the contract's float32 tolerance for modules
FLOAT64_TOL = (1e-6, 1e-9)
HALF_TOL = (2e-2, 2e-2)  # bfloat16 / float16 (rmsnorm's half-precision promise)
MODULE_TOLERANCES = {"float64": FLOAT64_TOL, "float32": FLOAT32_TOL, "bfloat16": HALF_TOL, "float16": HALF_TOL}

# Forbidden in every torch module kata (KATAS.md), with the private paths to the same kernels.
# Exact names are guarded at run time too; "*." patterns reach the source scan only.
ATTENTION_FORBIDDEN = [
    "torch.nn.functional.scaled_dot_product_attention", "torch._C._nn.scaled_dot_product_attention",
    "*.scaled_dot_product_attention",
    "*._scaled_dot_product*", "torch.nn.MultiheadAttention", "torch.nn.modules.activation.MultiheadAttention",
    "*.MultiheadAttention", "torch.nn.functional.multi_head_attention_forward", "*.multi_head_attention_forward",
    "torch.nn.Transformer*", "torch.nn.modules.transformer.Transformer*",
]
# Also forbidden in the norm katas (layernorm, rmsnorm).
NORM_FORBIDDEN = [
    "torch.nn.functional.layer_norm", "torch.nn.LayerNorm", "torch.nn.functional.rms_norm", "torch.nn.RMSNorm",
    "torch.layer_norm", "torch.rms_norm", "torch.native_layer_norm", "torch.nn.modules.normalization.LayerNorm",
    "torch.nn.modules.normalization.RMSNorm", "*.native_layer_norm", "*._fused_rms_norm", "*.layer_norm",
    "*.rms_norm",
]


# --------------------------------------------------------------------------- random tensors
def generator(rng) -> torch.Generator:
    """A torch generator seeded from the check's numpy ``rng`` (deterministic per check)."""
    return torch.Generator().manual_seed(int(rng.integers(2**31)))


def randn(gen: torch.Generator, *shape: int) -> torch.Tensor:
    """A standard normal float64 tensor drawn from ``gen``."""
    return torch.randn(*shape, generator=gen, dtype=torch.float64)


# --------------------------------------------------------------------------- structure
def describe_module(module: torch.nn.Module) -> str:
    """``nn.Linear(64, 16)``-style description a candidate recognises."""
    if isinstance(module, torch.nn.Linear):
        bias = "" if module.bias is not None else ", bias=False"
        return f"nn.Linear({module.in_features}, {module.out_features}{bias})"
    return f"nn.{type(module).__name__}" if type(module).__module__.startswith("torch.nn") else type(module).__name__


def _owner_text(ref: torch.nn.Module, key: str) -> str:
    owner_name = key.rsplit(".", 1)[0] if "." in key else ""
    try:
        owner = ref.get_submodule(owner_name) if owner_name else None
    except AttributeError:
        owner = None
    return f" (expected {describe_module(owner)} `{owner_name}`)" if owner is not None and owner_name else ""


def assert_same_structure(ref: torch.nn.Module, got: torch.nn.Module, hint: str = "") -> None:
    """Fail, in the candidate's terms, when state_dict keys or shapes differ."""
    ref_sd, got_sd = ref.state_dict(), got.state_dict()
    missing = [k for k in ref_sd if k not in got_sd]
    extra = [k for k in got_sd if k not in ref_sd]
    suffix = f" {hint}" if hint else ""
    if missing:
        key = missing[0]
        raise Fail(f"your module has no `{key}` of shape {tuple(ref_sd[key].shape)}{_owner_text(ref, key)}; "
                   f"the contract names every parameter{suffix}",
                   expected=", ".join(f"{k} {tuple(v.shape)}" for k, v in ref_sd.items()),
                   got=", ".join(f"{k} {tuple(v.shape)}" for k, v in got_sd.items()) or "no parameters")
    if extra:
        key = extra[0]
        is_buffer = key in dict(got.named_buffers())
        why = (" (a constant table? register it with persistent=False or keep it as a plain attribute)"
               if is_buffer else "")
        raise Fail(f"your module has an extra entry `{key}` of shape {tuple(got_sd[key].shape)} in its "
                   f"state_dict{why}{suffix}",
                   expected=", ".join(f"{k} {tuple(v.shape)}" for k, v in ref_sd.items()),
                   got=", ".join(f"{k} {tuple(v.shape)}" for k, v in got_sd.items()))
    for key, value in ref_sd.items():
        if tuple(got_sd[key].shape) != tuple(value.shape):
            raise Fail(f"`{key}` has shape {tuple(got_sd[key].shape)}, expected {tuple(value.shape)}"
                       f"{_owner_text(ref, key)}{suffix}")


def randomize(module: torch.nn.Module, generator: torch.Generator, scale: float = 0.5) -> None:
    """Give every floating parameter random values, so ones/zeros inits hide no mistake."""
    with torch.no_grad():
        for param in module.parameters():
            if param.is_floating_point():
                param.copy_(torch.randn(param.shape, generator=generator, dtype=torch.float64).to(param.dtype)
                            * scale)


def build_pair(ctx: Context, cls_name: str, init: dict, *, randomize_weights: bool = True,
               structure_hint: str = "") -> tuple[torch.nn.Module, torch.nn.Module]:
    """(reference, attempt) built with ``init``, reference weights loaded strictly into the attempt."""
    torch.manual_seed(ctx.seed)
    ref = getattr(ctx.ref, cls_name)(**init)
    torch.manual_seed(ctx.seed)
    got = getattr(ctx.attempt, cls_name)(**init)
    if not isinstance(got, torch.nn.Module):
        raise Fail(f"`{cls_name}` should be a torch.nn.Module subclass")
    assert_same_structure(ref, got, structure_hint)
    if randomize_weights:
        gen = torch.Generator().manual_seed(ctx.seed)
        randomize(ref, gen)
    try:
        got.load_state_dict(ref.state_dict(), strict=True)
    except RuntimeError as exc:
        raise Fail(f"load_state_dict(strict=True) failed: {str(exc).splitlines()[0]}") from None
    return ref, got


def _as_list(value) -> list:
    return list(value) if isinstance(value, (tuple, list)) else [value]


def _weights_like(t: torch.Tensor, seed: int) -> torch.Tensor:
    gen = torch.Generator().manual_seed(seed)
    return torch.randn(t.shape, generator=gen, dtype=torch.float64).to(t.dtype)


def compare_tensor(expected: torch.Tensor, got: Any, what: str, tol: tuple[float, float] | None = None, *,
                   message: str | None = None, case: str | None = None,
                   in_float32: Callable[[], torch.Tensor] | None = None) -> None:
    """Compare tensors at the contract's tolerance; ``message`` replaces the headline of a
    failure (say what the quantity must be), ``case`` names the input; ``in_float32()``
    recomputes the expected value in float32, so that a float32 computation is told apart
    from a float64 one that is merely inaccurate."""
    rtol, atol = tol if tol is not None else (None, None)
    comparator = close(rtol=rtol, atol=atol, kind="tensor", what=what)
    try:
        comparator(expected, got)  # Close(what=...) already names the quantity in its messages
    except Fail as fail:
        if message is not None:
            fail.message = message
        elif fail.message == f"wrong {what}":  # say which property broke, and why where a probe can tell
            recomputed = in_float32() if in_float32 is not None and got.dtype == torch.float64 else None
            fail.message = (float32_precision_hint(expected, got, what, recomputed)
                            or f"your {what} differs from the reference's")
        if case is not None:
            fail.case = case
        raise


def float32_precision_hint(expected: Any, got: Any, what: str = "output",
                           in_float32: torch.Tensor | None = None) -> str | None:
    """For a float64 result that is off: when it agrees with the (float64) reference at the
    float32 tolerance (and with ``in_float32``, the reference recomputed in float32, when
    given), the cause is a part of the computation done in float32 (a ``.float()``, a float32
    table or constant), not the formula. None when that is not the case: an error of float32
    size that a float32 computation would not make (cancellation in float64) is no such case."""
    if not (isinstance(expected, torch.Tensor) and isinstance(got, torch.Tensor)) or got.shape != expected.shape:
        return None
    if expected.dtype != torch.float64 or got.dtype != torch.float64:
        return None
    e, g = expected.detach().cpu(), got.detach().cpu()
    if in_float32 is not None and not torch.allclose(g, in_float32.detach().cpu().double(), *FLOAT32_TOL):
        return None
    if torch.equal(e.isfinite(), g.isfinite()) and torch.allclose(g, e, *FLOAT32_TOL, equal_nan=True):
        err = float((g - e).abs().nan_to_num(0.0).max())
        return (f"your {what} agrees with the reference only to float32 precision (off by up to {err:.2g}): "
                "part of your computation runs in float32 for this float64 input (a .float(), a table or "
                "constant made without dtype=x.dtype); keep the input's dtype throughout")
    return None


def construct(cls_name: str) -> Callable:
    """A ``call`` for :meth:`Grader.raises` that builds ``cls_name`` from the case's arguments."""
    return lambda impl, case: getattr(impl, cls_name)(*case.args, **case.kwargs)


def _run_forward(module, inputs: Case):
    return module(*inputs.args, **inputs.kwargs)


def _case_to(case: Case, dtype: torch.dtype) -> Case:
    def conv(v):
        if isinstance(v, torch.Tensor) and v.is_floating_point():
            return v.detach().to(dtype)
        return v

    new = Case(*[conv(a) for a in case.args], **{k: conv(v) for k, v in case.kwargs.items()})
    new.label = case.label
    return new


def module_parity(grader: Grader, name: str, cls_name: str, configs: Callable[[Any], Iterable[tuple[dict, Iterable[Case]]]],
                  *, dtypes: Sequence[str] = ("float64", "float32"), grads: bool = True,
                  randomize_weights: bool = True, grad_inputs: Sequence[int] = (0,),
                  structure_hint: str = "", tolerances: dict | None = None) -> None:
    """Declare a parity check.

    ``configs(rng)`` yields ``(init_kwargs, cases)``: constructor arguments and the forward
    inputs (as :class:`Case`, float tensors in float64) to run on the module built with them.
    Each case runs in every dtype of ``dtypes``; in float64 the gradients of a fixed random
    projection of the output w.r.t. every parameter and the positional inputs ``grad_inputs``
    are compared too. ``tolerances`` maps a dtype name to ``(rtol, atol)`` (defaults:
    :data:`MODULE_TOLERANCES`, the contract's).
    """
    tols = {**MODULE_TOLERANCES, **(tolerances or {})}

    def run(ctx: Context) -> None:
        for init, cases in configs(ctx.rng):
            ref, got = build_pair(ctx, cls_name, init, randomize_weights=randomize_weights,
                                  structure_hint=structure_hint)
            ref.eval(), got.eval()
            init_text = ", ".join(f"{k}={v!r}" for k, v in init.items())
            for case in cases:
                for dtype_name in dtypes:
                    dtype = getattr(torch, dtype_name)
                    ref.to(dtype), got.to(dtype)
                    inputs = _case_to(case, dtype)
                    where = f"{cls_name}({init_text}) in {dtype_name}, forward{_render_inputs(inputs)}"
                    try:
                        _parity_once(ctx, ref, got, inputs, dtype, grads and dtype_name == "float64",
                                     grad_inputs, tols[dtype_name])
                    except Fail as fail:
                        if fail.case is None:
                            fail.case = where
                        raise
                    except BaseException as exc:
                        exc.kata_case = where
                        raise
                ref.to(torch.float64), got.to(torch.float64)

    grader.checks.append(Check(name, run, "module_parity"))
    if grader.speed_spec is None:
        _default_module_speed(grader, cls_name, configs)


def _default_module_speed(grader: Grader, cls_name: str, configs) -> None:
    """Unless the grader times something itself, time the forward of the largest parity case
    (reference and attempt each built once; the best of a few runs counts, so the first
    call, which builds the module, never does)."""
    from .grader import SpeedSpec

    built: dict[int, torch.nn.Module] = {}

    def make_case(rng) -> Case:
        best = None
        for init, cases in configs(rng):
            for case in cases:
                size = sum(a.numel() for a in case.args if isinstance(a, torch.Tensor))
                if best is None or size > best[0]:
                    best = (size, init, case)
        _, init, case = best
        timed = Case(*case.args, **case.kwargs)
        timed.label = f"{cls_name}({', '.join(f'{k}={v!r}' for k, v in init.items())}) on the largest graded input"
        timed.init = init
        return timed

    def call(impl, case: Case):
        module = built.get(id(impl))
        if module is None:
            module = built[id(impl)] = getattr(impl, cls_name)(**case.init).to(torch.float64).eval()
        with torch.no_grad():
            return module(*case.args, **case.kwargs)

    grader.speed_spec = SpeedSpec(make_case, call, "")


def _render_inputs(case: Case) -> str:
    parts = [short(a, 160) if not isinstance(a, torch.Tensor) else _tensor_brief(a) for a in case.args]
    parts += [f"{k}={_tensor_brief(v) if isinstance(v, torch.Tensor) else short(v, 80)}" for k, v in case.kwargs.items()]
    return "(" + ", ".join(parts) + ")" + (f" [{case.label}]" if case.label else "")


def _tensor_brief(t: torch.Tensor) -> str:
    if t.numel() <= 16:
        return short(t, 200)
    return f"<{str(t.dtype).replace('torch.', '')} tensor of shape {tuple(t.shape)}>"


def _parity_once(ctx, ref, got, inputs: Case, dtype, with_grads: bool, grad_inputs, tol) -> None:
    ref_in, got_in = inputs.fresh(), inputs.fresh()
    leaves_ref, leaves_got = [], []
    if with_grads:
        for i in grad_inputs:
            if i < len(ref_in.args) and isinstance(ref_in.args[i], torch.Tensor) and ref_in.args[i].is_floating_point():
                ref_in.args = tuple(a.requires_grad_(True) if j == i else a for j, a in enumerate(ref_in.args))
                got_in.args = tuple(a.requires_grad_(True) if j == i else a for j, a in enumerate(got_in.args))
                leaves_ref.append((f"input {i + 1}", ref_in.args[i]))
                leaves_got.append((f"input {i + 1}", got_in.args[i]))
    ref.zero_grad(set_to_none=True), got.zero_grad(set_to_none=True)
    torch.manual_seed(ctx.seed)
    expected = _run_forward(ref, ref_in)
    torch.manual_seed(ctx.seed)
    output = _run_forward(got, got_in)
    exp_list, got_list = _as_list(expected), _as_list(output)
    if len(exp_list) != len(got_list):
        raise Fail(f"forward returned {len(got_list)} values, expected {len(exp_list)}")
    for i, (e, g) in enumerate(zip(exp_list, got_list)):
        what = "output" if len(exp_list) == 1 else f"output {i + 1}"
        compare_tensor(e, g, what, tol, in_float32=lambda i=i: _in_float32(ctx, ref, inputs)[i])
    if not with_grads:
        return
    if not any(g.requires_grad for g in got_list if isinstance(g, torch.Tensor)):
        raise Fail("the output does not require grad: no gradient flows through your forward "
                   "(a .detach(), .item(), numpy or torch.no_grad() in the way?)")
    loss_ref = sum((e * _weights_like(e, ctx.seed + i)).sum() for i, e in enumerate(exp_list))
    loss_got = sum((g * _weights_like(g, ctx.seed + i)).sum() for i, g in enumerate(got_list))
    loss_ref.backward()
    loss_got.backward()
    got_params = dict(got.named_parameters())
    for pname, p in ref.named_parameters():
        q = got_params.get(pname)
        if p.grad is None:
            continue
        if q is None or q.grad is None:
            raise Fail(f"no gradient reaches `{pname}`: it is not used in your forward, or used through "
                       f"a detached copy")
        _compare_grad(p.grad, q.grad, f"gradient of `{pname}`", tol)
    for (label, a), (_, b) in zip(leaves_ref, leaves_got):
        if a.grad is None:
            continue
        if b.grad is None:
            raise Fail(f"no gradient reaches the {label} of forward")
        _compare_grad(a.grad, b.grad, f"gradient w.r.t. the {label} of forward", tol)


def _in_float32(ctx: Context, ref: torch.nn.Module, inputs: Case) -> list:
    """The reference's outputs recomputed with module and inputs in float32."""
    import copy as copy_

    twin = copy_.deepcopy(ref).float()
    torch.manual_seed(ctx.seed)
    with torch.no_grad():
        return _as_list(_run_forward(twin, _case_to(inputs, torch.float32)))


def _compare_grad(expected, got, what, tol) -> None:
    diff = array_diff(expected.detach().double().numpy(), got.detach().double().numpy(), tol[0], tol[1])
    if diff:
        raise Fail(f"{what} differs from the reference's", diff=diff)


# --------------------------------------------------------------------------- promises of every module
def _pair(ctx: Context, cls_name: str, init: dict, load_state: bool) -> tuple[torch.nn.Module, torch.nn.Module]:
    """A fresh (reference, attempt): weights loaded strictly, or (``load_state=False``) both
    built from the same seed with nothing loaded (modules whose table is graded as built)."""
    if load_state:
        return build_pair(ctx, cls_name, init)
    torch.manual_seed(ctx.seed)
    ref = getattr(ctx.ref, cls_name)(**init)
    torch.manual_seed(ctx.seed)
    return ref, getattr(ctx.attempt, cls_name)(**init)


def _shown(cls_name: str, init: dict) -> str:
    return f"{cls_name}({', '.join(f'{k}={v!r}' for k, v in init.items())})"


def guarded(where: str, fn: Callable, *args, **kwargs):
    """``fn(...)``, the attempt's own exceptions labelled with ``where`` (its input)."""
    try:
        return fn(*args, **kwargs)
    except Fail as fail:
        if fail.case is None:
            fail.case = where
        raise
    except BaseException as exc:
        exc.kata_case = getattr(exc, "kata_case", None) or where
        raise


def module_promises(grader: Grader, cls_name: str, init: dict, inputs: Callable[[torch.Generator, int], Case], *,
                    lengths: Sequence[int] = (4, 4, 6, 1), train: bool = False, backward: bool = True,
                    feature_dim: int | None = None, load_state: bool = True, tol: tuple | None = None,
                    what_varies: str = "another length") -> None:
    """Declare the promises every torch module keeps, whatever the kata:

    * **state**: one module called with ``inputs(gen, n)`` for each n of ``lengths`` (the same
      shape twice with other values, then other lengths) agrees with the reference each time,
      so nothing (a mask, a bias, a sin/cos table) is cached from an earlier call;
    * **device**: on the ``meta`` device forward (and ``backward``) run, in eval and, with
      ``train``, in train mode (a dropout mask), and on CUDA when present;
    * **fresh float32**: built and never cast, float32 input gives float32 output equal to the
      reference's at the float32 tolerance;
    * **any rank** (``feature_dim`` given, for ``(..., d)`` inputs): x of rank 1 to 4.

    ``inputs(gen, n)`` returns a :class:`Case` of float64 tensors whose length is ``n``."""
    shown = _shown(cls_name, init)
    tol64 = tol or FLOAT64_TOL

    @grader.property(f"called again with other inputs of the same shape and {what_varies}, it still agrees "
                     "with the reference (nothing is kept from an earlier call)")
    def state(ctx: Context) -> None:
        ref, got = _pair(ctx, cls_name, init, load_state)
        ref.double().eval(), got.double().eval()
        gen = generator(ctx.rng)
        for k, n in enumerate(lengths, 1):
            case = inputs(gen, n)
            where = f"{shown}, call {k} of {len(lengths)} on the same module: forward{_render_inputs(case)}"
            with torch.no_grad():
                expected = _run_forward(ref, case.fresh())
                out = guarded(where, _run_forward, got, case.fresh())
            for e, g in zip(_as_list(expected), _as_list(out)):
                compare_tensor(e, g, "output", tol64, case=where,
                               message=None if k == 1 else
                               f"call {k} on the same module disagrees with the reference, though the first "
                               "call agreed: something computed for an earlier input (a mask, a table, a "
                               "cached shape) was reused")

    modes = "eval and train" if train else "eval"
    on_cuda = ", and it runs on CUDA" if devices.cuda_available() else ""

    @grader.property(f"keeps the input's device: no tensor made on the CPU inside forward meets the input "
                     f"({modes}){on_cuda}")
    def device(ctx: Context) -> None:
        ref, got = _pair(ctx, cls_name, init, load_state)
        ref, got = ref.double(), got.double()
        case = inputs(generator(ctx.rng), 3)
        where = f"{shown}, forward{_render_inputs(case)}"
        for mode in ([False, True] if train else [False]):
            devices.assert_follows_device(got, case.args, case.kwargs, train=mode, case=where, seed=ctx.seed)
        if devices.cuda_available():
            ref, got = ref.eval(), got.eval()
            with torch.no_grad():
                on_cpu = _as_list(_run_forward(ref, case.fresh()))
            for mode in ([False, True] if train else [False]):
                devices.assert_keeps_device(got, case.args, case.kwargs, device="cuda", train=mode,
                                            backward=backward, case=where, seed=ctx.seed,
                                            reference=None if mode else on_cpu)

    @grader.property("built fresh and never cast, it gives float32 output for float32 input, equal to the "
                     "reference's")
    def fresh_float32(ctx: Context) -> None:
        ref, got = _pair(ctx, cls_name, init, load_state)
        ref.eval(), got.eval()
        case = _case_to(inputs(generator(ctx.rng), 5), torch.float32)
        where = f"{shown} built fresh (float32), forward{_render_inputs(case)}"
        with torch.no_grad():
            expected = _run_forward(ref, case.fresh())
            out = guarded(where, _run_forward, got, case.fresh())
        devices.assert_fresh_float32(got, out, case=where)
        for e, g in zip(_as_list(expected), _as_list(out)):
            compare_tensor(e, g, "output", tol or FLOAT32_TOL, case=where)

    if not train:
        @grader.property("has no dropout or other randomness: in train() mode it gives the eval() output")
        def no_dropout(ctx: Context) -> None:
            ref, got = _pair(ctx, cls_name, init, load_state)
            got.double()
            case = inputs(generator(ctx.rng), 4)
            where = f"{shown}, forward{_render_inputs(case)}"
            with torch.no_grad():
                torch.manual_seed(ctx.seed)
                evaluated = guarded(where, _run_forward, got.eval(), case.fresh())
                torch.manual_seed(ctx.seed)
                trained = guarded(where + ", train()", _run_forward, got.train(), case.fresh())
            for e, g in zip(_as_list(evaluated), _as_list(trained)):
                compare_tensor(e, g, "output", (0.0, 0.0), case=where + ", train() vs eval()",
                               message="in train() mode your output differs from eval() mode's: the statement "
                                       "puts no dropout (nor any randomness) in this module")

    if feature_dim is None:
        return

    @grader.property("accepts any number of leading dimensions: x of shape (d,), (3, d), (2, 3, d), (2, 1, 3, d)")
    def any_rank(ctx: Context) -> None:
        ref, got = _pair(ctx, cls_name, init, load_state)
        ref.double().eval(), got.double().eval()
        for label, x in domains.any_rank_inputs(generator(ctx.rng), feature_dim):
            where = f"{shown}, forward({label})"
            with torch.no_grad():
                expected = ref(x.clone())
                out = guarded(where, got, x.clone())
            compare_tensor(expected, out, "output", tol64, case=where)


# --------------------------------------------------------------------------- train mode
TRAIN_COPIES = 400  # dropout draws compared per check (the input repeated along the batch axis)


def _draws(module: torch.nn.Module, xs: Sequence[torch.Tensor], seed: int, copies: int,
           run: Callable | None = None):
    """``copies`` independent train-mode outputs for the inputs ``xs``: one forward on each
    repeated along the batch axis (every element draws its own dropout mask), as
    ``(copies, *out.shape)``."""
    torch.manual_seed(seed)
    batches = [x.repeat(copies, *[1] * (x.dim() - 1)) for x in xs]
    with torch.no_grad():
        out = run(module, *batches) if run is not None else module(*batches)
    return out.reshape(copies, *xs[0].shape[:1], *out.shape[1:])


def draws_differ(expected: torch.Tensor, got: torch.Tensor) -> str | None:
    """None when two sets of draws ``(copies, ...)`` look alike: every element's mean within
    sampling error on average (mean z² ≤ 4; about 1 for equal laws, never above 2 in
    calibration) and the total variance within 15% (equal laws: within 5%); else what differs."""
    R = expected.shape[0]
    e, g = expected.reshape(R, -1), got.reshape(R, -1)
    ve, vg = e.var(0), g.var(0)
    z2 = float(((e.mean(0) - g.mean(0)) ** 2 / ((ve + vg) / R).clamp_min(1e-30)).mean())
    ratio = float(vg.mean() / ve.mean().clamp_min(1e-30))
    if not 0.85 <= ratio <= 1.18:
        return f"the spread of your outputs over dropout draws is {ratio:.2f}× the reference's"
    if z2 > 4.0:
        return f"the mean of your outputs over dropout draws is off the reference's (mean z² = {z2:.1f})"
    return None


def train_statistics(grader: Grader, name: str, cls_name: str, init: dict, x_shapes: Sequence[tuple], *,
                     suspects: dict[str, Callable] | None = None, copies: int = TRAIN_COPIES,
                     p_key: str = "dropout") -> None:
    """In train mode, the attempt's outputs over many dropout draws have the reference's law
    (mean and spread per output), which holds wherever dropout sits, at what rate and scale.

    ``x_shapes``: the shapes of forward's inputs (batch first). ``suspects`` maps a cause
    ("dropout applied to the input x") to ``run(ref, *inputs) -> output``, the reference
    computing that mistake (``ref`` a train-mode copy, ``inputs`` repeated); the first whose law the attempt's matches is named in the failure. A hard-coded
    rate is probed exactly: same seed, another ``p``, same output."""
    import copy as copy_

    @grader.property(name)
    def run(ctx: Context) -> None:
        ref, got = build_pair(ctx, cls_name, init)
        ref.double().train(), got.double().train()
        gen = generator(ctx.rng)
        x = [torch.randn(*shape, generator=gen, dtype=torch.float64) for shape in x_shapes]
        shapes = " and ".join(f"{tuple(shape)}" for shape in x_shapes)
        where = f"{_shown(cls_name, init)}.train(), inputs of shape {shapes} repeated {copies} times as a batch"
        expected = _draws(ref, x, ctx.seed, copies)
        out = guarded(where, _draws, got, x, ctx.seed + 1, copies)
        problem = draws_differ(expected, out)
        if problem is None:
            return
        cause = "no dropout acts in train() mode" if float(out.var(0).max()) == 0.0 else None
        for text, mistake in ({} if cause else suspects or {}).items():
            if draws_differ(_draws(copy_.deepcopy(ref), x, ctx.seed + 2, copies, mistake), out) is None:
                cause = text
                break
        if cause is None and p_key in init:  # same seed, another p: an unchanged output ignores p
            other = build_pair(ctx, cls_name, {**init, p_key: init[p_key] / 2})[1].double().train()
            other.load_state_dict(got.state_dict())
            if torch.equal(_draws(other, x, ctx.seed + 1, copies), out):
                cause = (f"your dropout ignores the constructor's {p_key}={init[p_key]} (a hard-coded rate): "
                         f"pass the module's {p_key} to nn.Dropout / F.dropout")
        raise Fail(f"in train() mode, {problem}" + (f": {cause}" if cause else
                   ": dropout sits elsewhere than where the statement puts it, or drops at another rate, or "
                   "scales the survivors by something else than 1/(1 - p)"), case=where)


def without(*dropouts: str) -> Callable:
    """A suspect for :func:`train_statistics`: the reference with its dropout submodules
    ``dropouts`` switched off (rate 0), i.e. an attempt that forgot them."""
    def run(module: torch.nn.Module, *inputs):
        for name in dropouts:
            module.get_submodule(name).p = 0.0
        return module(*inputs)

    return run


# --------------------------------------------------------------------------- functions
@dataclass
class ValueAndGrads:
    value: Any
    grads: dict


def value_and_grads(entry: str, wrt: Sequence[str | int], *, seed: int = 1234) -> Callable:
    """A ``call`` for :meth:`Grader.cases`: run ``entry`` with the ``wrt`` inputs requiring
    grad and return the value and the gradients of a fixed random projection of it."""

    def call(impl, case: Case) -> ValueAndGrads:
        args, kwargs = list(case.args), dict(case.kwargs)
        leaves = {}
        for key in wrt:
            holder = args if isinstance(key, int) else kwargs
            if isinstance(key, str) and key not in holder:
                continue
            if holder[key] is None:
                continue  # an optional input left out (e.g. negatives=None)
            holder[key] = holder[key].detach().clone().requires_grad_(True)
            leaves[key] = holder[key]
        value = getattr(impl, entry)(*args, **kwargs)
        grads: dict = {}
        if isinstance(value, torch.Tensor) and value.requires_grad:
            scalar = (value * _weights_like(value, seed)).sum() if value.dim() else value
            computed = torch.autograd.grad(scalar, list(leaves.values()), allow_unused=True)
            grads = {k: g for k, g in zip(leaves, computed)}
        return ValueAndGrads(value, grads)

    return call


def close_with_grads(names: dict | None = None, *, rtol: float | None = None, atol: float | None = None,
                     value_kind: str = "tensor", allow_float: bool = False) -> Callable:
    """Compare :class:`ValueAndGrads`: the value, then the gradient w.r.t. each input."""
    names = names or {}
    value_cmp = close(rtol=rtol, atol=atol, kind=value_kind, allow_0d_tensor=allow_float)

    def compare(expected: ValueAndGrads, got: ValueAndGrads) -> None:
        value_cmp(expected.value, got.value)
        for key, g_exp in expected.grads.items():
            label = names.get(key, f"`{key}`" if isinstance(key, str) else f"argument {key + 1}")
            if g_exp is None:
                continue
            g_got = got.grads.get(key)
            if g_got is None:
                if not got.grads:
                    raise Fail(f"your result is not differentiable w.r.t. {label} (a .detach(), .item(), "
                               "numpy or a Python float breaks the graph)")
                raise Fail(f"no gradient reaches {label}")
            diff = array_diff(g_exp.detach().double().numpy(), g_got.detach().double().numpy(),
                              rtol if rtol is not None else 1e-6, atol if atol is not None else 1e-9)
            if diff:
                raise Fail(f"the value is right but the gradient w.r.t. {label} is wrong", diff=diff)

    return compare


# --------------------------------------------------------------------------- masks
def causal_mask(tq: int, tk: int | None = None) -> torch.Tensor:
    """``(Tq, Tk)`` bool, True = may attend; query i sees keys ≤ i (+ offset when Tk > Tq)."""
    return domains.causal(tq, tk)


def padding_mask(lengths: Sequence[int], tk: int) -> torch.Tensor:
    """``(B, 1, 1, Tk)`` bool: the first ``lengths[b]`` keys of row b are real."""
    return (torch.arange(tk)[None, :] < torch.tensor(lengths)[:, None])[:, None, None, :]


def masks(gen: torch.Generator, batch: int, heads: int, tq: int, tk: int, *, causal: bool = True,
          int_variants: bool = True) -> list[tuple[str, torch.Tensor]]:
    """Named masks of the whole promised domain: causal (self-attention), a key-padding mask
    with real lengths, and a random mask of every shape broadcastable to (B, H, Tq, Tk)
    (:data:`domains.MASK_SHAPES`) in the mask dtypes taken in turn (bool only without
    ``int_variants``)."""
    out: list[tuple[str, torch.Tensor]] = []
    if causal:
        out.append(("causal (Tq, Tk) bool", causal_mask(tq, tk)))
    lengths = [int(torch.randint(1, tk + 1, (1,), generator=gen)) for _ in range(batch)]
    lengths[0] = tk
    out.append(("key padding (B, 1, 1, Tk) bool", padding_mask(lengths, tk)))
    dtypes = domains.MASK_DTYPES if int_variants else (torch.bool,)
    return out + domains.attention_masks(gen, batch, heads, tq, tk, with_causal=False, dtypes=dtypes)


# --------------------------------------------------------------------------- observing submodules
class _Stop(Exception):
    pass


def observe(module: torch.nn.Module, submodule: str, run: Callable[[], Any]) -> tuple[tuple, Any] | None:
    """Run ``run()`` and capture the positional inputs and output of ``module.<submodule>``
    the first time it is called, stopping the forward there. None when it is never called
    as a module (then parity checks still cover it)."""
    try:
        target = module.get_submodule(submodule)
    except AttributeError:
        return None
    seen: list = []

    def hook(_mod, args, kwargs, output):
        # Keyword arguments (``self_attn(x=h)``) are put back in the forward's parameter order.
        try:
            bound = inspect.signature(target.forward).bind(*args, **kwargs)
            inputs = tuple(bound.arguments.values())
        except TypeError:
            inputs = tuple(args) + tuple(kwargs.values())
        seen.append((inputs, output))
        raise _Stop()

    handle = target.register_forward_hook(hook, with_kwargs=True)
    try:
        run()
    except _Stop:
        pass
    finally:
        handle.remove()
    return seen[0] if seen else None
