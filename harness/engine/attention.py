"""Attention checks for graders: one call per report row, shared by the attention katas.

Parity (:func:`harness.engine.torchkit.module_parity`) says that an attention module is
wrong; the properties here say why, in the candidate's terms. Each holds for any correct
scaled dot-product attention, whatever the kv-head layout:
  * ``scaled_scores``      scores are divided by √head_dim: the reference with its ``q_proj``
                           scaled by √d (resp. d) computes the unscaled (resp. ×√d) mistake;
  * ``mask_not_inverted``  True/1 means "may attend": the reference fed the inverted mask
                           computes the inverted mistake;
  * ``weights_sum_to_one`` with every value vector equal to v every output row is
                           ``o_proj([v, …, v])``: softmax over the keys, mask before it;
  * ``hidden_keys``        changing a token that the mask hides from query i (in every head)
                           leaves output i unchanged: a hidden key gets weight exactly 0.
An :class:`Attention` says how to build and call the kata's module: its class, constructor
arguments and whether ``forward`` takes a ``context`` (cross-attention: keys and values
come from it, queries from ``x``). ``Attention.pair`` and :func:`same` (and ``tk.randn``) serve
a grader's own properties (gqa's kv-head order, cross-attention's reads-the-context).
"""
from __future__ import annotations

import copy
import math
from dataclasses import dataclass
from typing import Sequence

import torch

from . import domains
from . import torchkit as tk
from .errors import Fail
from .grader import Case, Context, Grader


def same(a: torch.Tensor, b: torch.Tensor) -> bool:
    """Same shape and equal at the contract's float64 tolerance (rtol 1e-6, atol 1e-9)."""
    return a.shape == b.shape and torch.allclose(a, b, rtol=1e-6, atol=1e-9)


def brief(t: torch.Tensor) -> str:
    return "[" + ", ".join(f"{v:.4f}" for v in t.tolist()[:4]) + ", …]"


@dataclass(frozen=True)
class Attention:
    """How the checks build and call one attention module.

    ``params`` names the constructor arguments (``d_model`` and ``num_heads`` first); a config
    is a tuple of their values. ``small`` is the config of the mask and weight properties (its
    num_heads is the H of their (B, H, Tq, Tk) masks), ``wide`` the scale check's (a head_dim
    that is a perfect square > 1, so that "unscaled" and "× √d" are both told apart).
    ``cross``: ``forward(x, context, attention_mask=None)``, else ``forward(x, attention_mask=None)``.
    """

    cls: str
    params: tuple[str, ...] = ("d_model", "num_heads")
    small: tuple = (16, 4)
    wide: tuple = (32, 2)
    cross: bool = False

    # ------------------------------------------------------------------ configs
    def init(self, values: Sequence | None = None) -> dict:
        return dict(zip(self.params, self.small if values is None else values))

    def shown(self, values: Sequence | None = None) -> str:
        """``MultiHeadAttention(d_model=16, num_heads=4)``."""
        return f"{self.cls}({', '.join(f'{k}={v!r}' for k, v in self.init(values).items())})"

    def heads(self, values: Sequence | None = None) -> int:
        return self.init(values)["num_heads"]

    def head_dim(self, values: Sequence | None = None) -> int:
        init = self.init(values)
        return init["d_model"] // init["num_heads"]

    def construct(self, impl, case: Case):
        """A ``call`` for ``grader.raises``: build the class with the case's arguments."""
        return getattr(impl, self.cls)(*case.args, **case.kwargs)

    def pair(self, ctx: Context, values: Sequence | None = None) -> tuple[torch.nn.Module, torch.nn.Module]:
        """(reference, attempt) with the same random weights, in float64 and ``eval()``."""
        ref, got = tk.build_pair(ctx, self.cls, self.init(values))
        return ref.double().eval(), got.double().eval()

    # ------------------------------------------------------------------ inputs and calls
    @property
    def keys(self) -> str:
        """What a query attends over, in the candidate's words."""
        return "context tokens" if self.cross else "keys"

    def lengths(self, tk_: int) -> tuple[int, int]:
        """(Tq, Tk): equal for self-attention; Tq ≠ Tk for cross-attention."""
        return (tk_ - 2, tk_) if self.cross else (tk_, tk_)

    def inputs(self, gen: torch.Generator, batch: int, tq: int, tk_: int, d_model: int) -> tuple:
        """``(x,)`` or ``(x, context)``; the last one is where keys and values come from."""
        x = tk.randn(gen, batch, tq, d_model)
        return (x, tk.randn(gen, batch, tk_, d_model)) if self.cross else (x,)

    def describe(self, args: tuple) -> str:
        names = ("x", "context")
        return ", ".join(f"{n} of shape {tuple(a.shape)}" for n, a in zip(names, args))

    @staticmethod
    def run(module: torch.nn.Module, args: tuple, mask: torch.Tensor | None = None) -> torch.Tensor:
        """``module(*args[, mask])`` on fresh copies, without autograd."""
        with torch.no_grad():
            fresh = [a.clone() for a in args]
            return module(*fresh) if mask is None else module(*fresh, mask.clone())


# Why an output that agrees without a mask disagrees with one (the mask's layout, or state).
MASK_LAYOUT_HINT = ("with this mask your output differs from the reference's, though it agrees without a mask: "
                    "broadcast the mask to (B, H, Tq, Tk) as it is ((Tk,) and (1, Tk) per key, (Tq, Tk) per "
                    "query, (H, Tq, Tk) per head, any bool or 0/1 integer dtype), and use this call's mask, "
                    "never one kept from an earlier call")


# ---------------------------------------------------------------------------- declarations
def structure(grader: Grader, spec: Attention, name: str, values: Sequence) -> None:
    """State_dict keys and shapes of ``cls(*values)`` match the reference's (no weights loaded)."""

    @grader.property(name)
    def run(ctx: Context) -> None:
        tk.assert_same_structure(getattr(ctx.ref, spec.cls)(*values), getattr(ctx.attempt, spec.cls)(*values))


def scaled_scores(grader: Grader, spec: Attention, name: str = "scores are divided by √d (d = head_dim), "
                                                               "not multiplied by it or left unscaled") -> None:
    """Unscaled and ×√d scores, told apart by running the reference with ``q_proj`` scaled."""
    d = spec.head_dim(spec.wide)
    root = math.isqrt(d)
    assert root * root == d and root > 1, "Attention.wide needs a head_dim that is a square > 1"

    @grader.property(name)
    def run(ctx: Context) -> None:
        ref, got = spec.pair(ctx, spec.wide)
        tq, tk_ = spec.lengths(6)
        args = spec.inputs(torch.Generator().manual_seed(ctx.seed), 2, tq, tk_, spec.init(spec.wide)["d_model"])
        out = tk.guarded(f"{spec.shown(spec.wide)}, {spec.describe(args)}", spec.run, got, args)
        expected = spec.run(ref, args)
        if same(out, expected):
            return
        # q_proj scaled by c multiplies every score by c: the reference then computes the mistake
        for factor, mistake in ((root, "are not scaled at all"),
                                (d, "are multiplied by √d instead of divided by it (dividing by a 1/√d "
                                    "factor does that)")):
            variant = copy.deepcopy(ref)
            with torch.no_grad():
                variant.q_proj.weight.mul_(factor), variant.q_proj.bias.mul_(factor)
            if same(out, spec.run(variant, args)):
                raise Fail(f"your attention scores {mistake}: compute q @ k.transpose(-2, -1) / √d, here "
                           f"d = {d} and √d = {root}", case=f"{spec.shown(spec.wide)}, {spec.describe(args)}")


def mask_not_inverted(grader: Grader, spec: Attention,
                      name: str = "True/1 in the mask means 'may attend' (the mask is not inverted)") -> None:
    """A random (B, H, Tq, Tk) mask, bool and 0/1: the attempt must not equal the reference
    fed the inverted mask (every query keeps one key and hides one, so both are valid masks)."""

    @grader.property(name)
    def run(ctx: Context) -> None:
        gen = torch.Generator().manual_seed(ctx.seed)
        ref, got = spec.pair(ctx)
        tq, tk_ = spec.lengths(5)
        args = spec.inputs(gen, 2, tq, tk_, spec.init()["d_model"])
        mask = torch.rand(2, spec.heads(), tq, tk_, generator=gen) < 0.5
        mask[..., 0], mask[..., 1] = True, False  # every query keeps a key and hides a key, either way round
        for m in (mask, mask.long()):
            out = tk.guarded(f"{spec.shown()}, {spec.describe(args)}, a (B, H, Tq, Tk) {m.dtype} mask",
                             spec.run, got, args, m)
            if not same(out, spec.run(ref, args, m)) and same(out, spec.run(ref, args, m == 0)):
                raise Fail(f"your mask is inverted: you hide the {spec.keys} where the mask is True/1. True/1 "
                           "means 'may attend': fill the scores with -inf where the mask is False/0",
                           case=f"{spec.shown()}, {spec.describe(args)}, a random (B, H, Tq, Tk) "
                                f"{'bool' if m.dtype == torch.bool else '0/1'} mask")


def weights_sum_to_one(grader: Grader, spec: Attention, name: str | None = None) -> None:
    """With v_proj.weight = 0 and v_proj.bias = [v, …, v], every output row is o_proj([v, …, v])
    exactly when each query's weights sum to 1: checked without a mask and with every mask kind."""
    name = name or (f"each query's attention weights sum to 1 over the {spec.keys} it may attend "
                    f"(softmax over the {spec.keys}, mask applied before it)")

    @grader.property(name)
    def run(ctx: Context) -> None:
        gen = torch.Generator().manual_seed(ctx.seed)
        ref, got = spec.pair(ctx)
        B, H, d = 2, spec.heads(), spec.head_dim()
        tq, tk_ = spec.lengths(5)
        args = spec.inputs(gen, B, tq, tk_, spec.init()["d_model"])
        v = tk.randn(gen, d)
        with torch.no_grad():  # every value vector of every (kv) head equals v
            got.v_proj.weight.zero_(), got.v_proj.bias.copy_(v.repeat(got.v_proj.bias.numel() // d))
            want = got.o_proj(v.repeat(H))
        for label, mask in [("no mask", None)] + tk.masks(gen, B, H, tq, tk_, causal=not spec.cross):
            where = f"{spec.shown()}, v_proj.weight = 0 and v_proj.bias = [v, …, v], {label} mask"
            out = tk.guarded(where, spec.run, got, args, mask)
            if not torch.allclose(out, want.expand_as(out), rtol=1e-9, atol=1e-9):
                err = (out - want).abs().amax(-1).nan_to_num(float("inf"))  # the worst row
                b, t = divmod(int(err.argmax()), err.shape[1])
                hint = (f"normalise with a softmax over the last axis (the {spec.keys})" if mask is None else
                        "apply the mask to the scores (-inf) before the softmax, not to the weights after it")
                precision = tk.float32_precision_hint(want.expand_as(out), out)
                if precision:  # recomputed in float64 the weights do sum to 1: not a softmax mistake
                    raise Fail(precision, case=where, expected=brief(want), got=f"output[{b}, {t}] = {brief(out[b, t])}")
                raise Fail(f"with {'no' if mask is None else 'a ' + label} mask and every value vector equal to "
                           f"v, every output row should be o_proj([v, …, v]) because each query's weights sum to "
                           f"1; yours is not: {hint}",
                           case=f"{spec.shown()}, v_proj.weight = 0 and v_proj.bias = [v, …, v]",
                           expected=brief(want), got=f"output[{b}, {t}] = {brief(out[b, t])}")


def hidden_keys(grader: Grader, spec: Attention, name: str | None = None) -> None:
    """For each mask kind, up to three (batch row, query i, key j) with key j hidden from query i
    in every head (j ≠ i in self-attention, where token i is also the query): changing token j
    of the keys' source (x, or context) must leave output i unchanged (atol 1e-12)."""
    name = name or f"{spec.keys} the mask hides (False/0) have no influence on the output"

    @grader.property(name)
    def run(ctx: Context) -> None:
        gen = torch.Generator().manual_seed(ctx.seed)
        ref, got = spec.pair(ctx)
        B, H, d_model = 3, spec.heads(), spec.init()["d_model"]
        tq, tk_ = spec.lengths(6)
        args = spec.inputs(gen, B, tq, tk_, d_model)
        unmasked_ok = same(tk.guarded(f"{spec.shown()}, {spec.describe(args)}", spec.run, got, args),
                           spec.run(ref, args))
        seen: list[torch.Tensor] = []
        for label, mask in tk.masks(gen, B, H, tq, tk_, causal=not spec.cross):
            seen.append(mask)
            hidden = ~mask.bool().expand(B, H, tq, tk_).any(dim=1)  # (B, Tq, Tk): hidden from every head
            if not spec.cross:
                hidden &= ~torch.eye(tq, dtype=torch.bool)  # token i is query i's own input
            for b, i, j in hidden.nonzero()[:3].tolist():
                changed = list(args)
                changed[-1] = changed[-1].clone()
                changed[-1][b, j] += 3.0 * tk.randn(gen, d_model)  # change a token that query i may not see
                where = f"{spec.shown()}, {spec.describe(args)}, a {label} mask"
                before = tk.guarded(where, spec.run, got, args, mask)
                after = tk.guarded(where, spec.run, got, tuple(changed), mask)
                if not torch.allclose(before[b, i], after[b, i], rtol=1e-9, atol=1e-12):
                    if not unmasked_ok:
                        hint = "your output already differs from the reference without a mask: fix that first"
                    elif any(same(before, spec.run(ref, args, earlier)) for earlier in seen[:-1]):
                        hint = ("your output is the reference's for the mask of an earlier call: use this call's "
                                "mask, never one kept from an earlier call")
                    else:
                        hint = ("a hidden key must get weight exactly 0 and stay out of the softmax's sum: fill "
                                "its score with -inf before the softmax")
                    what = f"context token {j}, yet changing that token" if spec.cross else \
                        f"key {j}, yet changing token {j}"
                    raise Fail(f"with a {label} mask, query {i} may not attend to {what} changed output {i}; "
                               f"{hint}", case=f"{spec.shown()}, {spec.describe(args)}, batch row {b}",
                               got=f"output[{b}, {i}] moved by "
                                   f"{(after[b, i] - before[b, i]).abs().max().item():.3g}")


def parity(grader: Grader, spec: Attention, name: str, sizes: Sequence[tuple[tuple, tuple]], *,
           masks: bool = False) -> None:
    """:func:`torchkit.module_parity` over ``sizes``: ``(config, (B, T))``, or ``(config, (B, Tq, Tk))``
    for cross-attention; with ``masks`` every kind of :func:`torchkit.masks` (causal only for
    self-attention), bool and 0/1. Gradients reach x (and context) and every parameter."""

    def configs(rng):
        gen = tk.generator(rng) if masks else None
        for values, (B, *lengths) in sizes:
            tq, tk_ = lengths if spec.cross else lengths * 2
            d_model = spec.init(values)["d_model"]
            args = [torch.from_numpy(rng.normal(0.0, 1.0, (B, tq, d_model)))]
            if spec.cross:
                args.append(torch.from_numpy(rng.normal(0.0, 1.0, (B, tk_, d_model))))
            if masks:
                cases = [Case(*args, m).named(f"{label} mask")
                         for label, m in tk.masks(gen, B, spec.heads(values), tq, tk_, causal=not spec.cross)]
            else:
                shape = f"B={B}, Tq={tq}, Tk={tk_}" if spec.cross else f"B={B}, T={tq}"
                cases = [Case(*args).named(shape)]
            yield spec.init(values), cases

    tk.module_parity(grader, name, spec.cls, configs, grad_inputs=(0, 1) if spec.cross else (0,),
                     dtypes=("float64",) if masks else ("float64", "float32"))
    if masks:  # the unmasked parity ran before: a difference now is the mask's
        check = grader.checks[-1]
        unmasked = check.run

        def run(ctx: Context) -> None:
            try:
                unmasked(ctx)
            except Fail as fail:
                if fail.message.startswith("your output differs"):
                    fail.message = MASK_LAYOUT_HINT[0].upper() + MASK_LAYOUT_HINT[1:]
                raise

        check.run = run


def promises(grader: Grader, spec: Attention, values: Sequence | None = None) -> None:
    """:func:`torchkit.module_promises` for an attention module: successive calls on one module
    with fresh x (and context) and a random mask of a random promised shape and dtype each
    time (same shape twice, then other lengths), the meta device and a fresh float32 module."""
    init = spec.init(values)
    B, H = 2, spec.heads(values)

    def inputs(gen: torch.Generator, n: int) -> Case:
        tq, tk_ = (n, n + 2) if spec.cross else (n, n)
        args = spec.inputs(gen, B, tq, tk_, init["d_model"])
        masks = domains.attention_masks(gen, B, H, tq, tk_, with_causal=False)
        label, mask = masks[int(torch.randint(len(masks), (1,), generator=gen))]
        return Case(*args, mask).named(f"a {label} mask")

    tk.module_promises(grader, spec.cls, init, inputs, what_varies="other lengths and masks",
                       lengths=(4, 4, 6, 1, 5))


def masked_parity(grader: Grader, spec: Attention, sizes: Sequence[tuple[tuple, tuple]]) -> None:
    """:func:`parity` with every mask of :func:`torchkit.masks`, under one name for every kata."""
    causal = "" if spec.cross else "causal and "
    parity(grader, spec, f"agrees with the reference with {causal}key-padding masks and a mask of every shape "
                         "broadcastable to (B, H, Tq, Tk), bool and 0/1 in every integer dtype (float64; gradients)",
           sizes, masks=True)
