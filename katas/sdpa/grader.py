import math

import torch

from harness.engine import Case, Fail, Grader
from harness.engine import devices as dv
from harness.engine import torchkit as tk
from harness.engine.compare import first_match
from harness.engine.torchkit import ValueAndGrads

ENTRY = "scaled_dot_product_attention"
grader = Grader(ENTRY, forbidden=tk.ATTENTION_FORBIDDEN)
f64 = torch.float64


# ------------------------------------------------------------------ one case: float64 value and gradients, float32
class Run(ValueAndGrads):
    """The float64 output and gradients of q, k, v, and the float32 output of the same inputs."""

    def __init__(self, value, grads, value32):
        super().__init__(value, grads)
        self.value32 = value32


def run(impl, case: Case) -> Run:
    fn = getattr(impl, ENTRY)
    before = [a.clone() for a in case.args]
    plain = fn(*case.args, **case.kwargs)  # on the inputs themselves: the engine sees any in-place change
    if not all(torch.equal(a, b) for a, b in zip(before, case.args)):
        return Run(plain, {}, plain)  # modified its input: the engine reports that, nothing more to run
    leaves = [a.detach().clone().requires_grad_(True) for a in case.args]
    out = fn(*[leaf.clone() for leaf in leaves], **case.kwargs)  # clones: in-place work stays legal
    grads = {}
    if isinstance(out, torch.Tensor) and out.requires_grad:
        weights = torch.randn(out.shape, generator=torch.Generator().manual_seed(1234), dtype=f64).to(out.dtype)
        grads = dict(enumerate(torch.autograd.grad((out * weights).sum(), leaves, allow_unused=True)))
    value32 = fn(*[a.to(torch.float32) for a in case.args], **case.kwargs)
    return Run(plain, grads, value32)


float64_and_grads = tk.close_with_grads({0: "`q`", 1: "`k`", 2: "`v`"})


def compare(expected: Run, got: Run) -> None:
    float64_and_grads(expected, got)
    try:
        tk.compare_tensor(expected.value32, got.value32, "output", tk.FLOAT32_TOL)
    except Fail as fail:
        fail.message = f"in float32 (inputs cast to float32): {fail.message}"
        raise


# ------------------------------------------------------------------ inputs
def qkv(gen, lead, tq, tk_, d, dv):
    return tk.randn(gen, *lead, tq, d), tk.randn(gen, *lead, tk_, d), tk.randn(gen, *lead, tk_, dv)


SHAPES = [  # (leading dims, Tq, Tk, d, dv): 0 to 3 leading dims, Tq < = > Tk, Tq = 1, Tk = 1, d != dv
    ((), 1, 1, 1, 1), ((), 2, 3, 4, 4), ((2,), 3, 3, 4, 2), ((1,), 1, 5, 4, 3), ((2,), 4, 1, 2, 3),
    ((2, 3), 5, 3, 4, 4), ((1, 2), 3, 7, 9, 5), ((2, 2, 2), 4, 4, 4, 6), ((2, 1, 3), 6, 9, 16, 8),
]


def broadcast_shapes(lead, tq, tk_):
    """The promised mask shapes: (Tq, Tk), (B, 1, …, 1, Tk) and full."""
    out = [("(Tq, Tk)", (tq, tk_))]
    if lead:
        out.append((f"({', '.join(['B'] + ['1'] * len(lead))}, Tk)", (lead[0],) + (1,) * len(lead) + (tk_,)))
    out.append(("full", (*lead, tq, tk_)))
    return out


def random_mask(gen, shape, empty_rows=False):
    """A random bool mask; every row keeps a key unless ``empty_rows`` (then some rows, the first
    among them, keep none and the last keeps one)."""
    idx = torch.randint(0, shape[-1], shape[:-1] + (1,), generator=gen)
    mask = (torch.rand(shape, generator=gen) < 0.6).scatter(-1, idx, True)
    if empty_rows:
        drop = torch.rand(shape[:-1], generator=gen) < 0.4
        drop.view(-1)[0], drop.view(-1)[-1] = True, False
        return mask & ~drop[..., None]
    return mask


# ------------------------------------------------------------------ the named mistakes
def attend(q, k, v, allowed, scale, multiply=False):
    """Attention over ``allowed`` keys (None: all), zero rows where none is allowed; with
    ``multiply`` the scores are multiplied by the 0/1 mask instead (the mistake)."""
    scores = q @ k.transpose(-2, -1) * scale
    if allowed is None:
        return scores.softmax(-1) @ v
    if multiply:
        return (scores * allowed).softmax(-1) @ v
    w = scores.masked_fill(~allowed, -math.inf).masked_fill(~allowed.any(-1, keepdim=True), 0).softmax(-1)
    return w.masked_fill(~allowed, 0) @ v


def rule(tq, tk_, offset=None, window=None):
    i = torch.arange(tq)[:, None] + (tk_ - tq if offset is None else offset)
    j = torch.arange(tk_)[None, :]
    return (j <= i) & (j > i - window) if window is not None else j <= i


def explain(case: Case, got: Run):
    q, k, v = (a.detach() for a in case.args[:3])
    kw = case.kwargs
    mask, causal, window = kw.get("attn_mask"), kw.get("is_causal", False), kw.get("window")
    d, tq, tk_ = q.shape[-1], q.shape[-2], k.shape[-2]
    scale = kw.get("scale") or 1 / math.sqrt(d)
    m = None if mask is None else mask.bool()
    c = rule(tq, tk_, window=window) if causal else None
    both = m if c is None else c if m is None else m & c
    right = attend(q, k, v, both, scale)
    suspects = {}
    if kw.get("scale") is None and d > 1:
        suspects["your scores are divided by d instead of √d"] = attend(q, k, v, both, 1 / d)
        suspects["your scores are not scaled (divide them by √d)"] = attend(q, k, v, both, 1.0)
    elif kw.get("scale") is not None:
        suspects["the given `scale` is ignored: it replaces 1/√d"] = attend(q, k, v, both, 1 / math.sqrt(d))
        suspects["you divide by the given `scale`: it multiplies the scores, as in torch"] = \
            attend(q, k, v, both, 1 / scale)
    if both is not None:
        suspects["your scores are multiplied by the 0/1 mask: a hidden key then scores 0, not -inf, and still "
                 "gets weight; set the scores of hidden keys to -inf before the softmax"] = \
            attend(q, k, v, both.to(q.dtype), scale, multiply=True)
    if m is not None:
        suspects["your mask is inverted: True/1 means 'may attend'"] = attend(q, k, v, (~m if c is None else ~m & c),
                                                                                 scale)
    if causal and tq != tk_:
        suspects["your causal rule is aligned top-left (key j <= query i); the contract aligns it bottom-right: "
                 "key j is allowed iff j <= i + (Tk - Tq), the last query sits on the last key"] = \
            attend(q, k, v, rule(tq, tk_, offset=0, window=window) if m is None else
                   m & rule(tq, tk_, offset=0, window=window), scale)
    if causal and m is not None:
        suspects["with is_causal=True your function ignores attn_mask: both apply (a key must pass both)"] = \
            attend(q, k, v, c, scale)
        suspects["with an attn_mask your function ignores is_causal: both apply (a key must pass both)"] = \
            attend(q, k, v, m, scale)
    if window is not None:
        suspects[f"each query sees {window + 1} keys with window={window}: the window is its own position and "
                 f"the window - 1 before it"] = attend(q, k, v, rule(tq, tk_, window=window + 1) if m is None
                                                      else m & rule(tq, tk_, window=window + 1), scale)
        suspects["the window is ignored"] = attend(q, k, v, c if m is None else m & rule(tq, tk_), scale)
    if m is not None and not mask.dtype == torch.bool:
        suspects["every key is hidden with an integer mask: `~` on 0/1 integers is a bitwise not (~1 = -2, "
                 "~0 = -1, both nonzero); convert with .bool() first"] = torch.zeros_like(q[..., :1] * v[..., :1, :])
    if isinstance(got.value, torch.Tensor) and got.value.shape == q.shape[:-1] + v.shape[-1:]:
        found = first_match(got.value, {m: s for m, s in suspects.items() if not torch.allclose(s, right)})
        if found:
            return found
    if isinstance(got.value, torch.Tensor) and bool(torch.isfinite(got.value).all()) and any(
            g is not None and not bool(torch.isfinite(g).all()) for g in got.grads.values()):
        return ("your forward is finite but the backward gives NaN/inf (a -inf score turned into NaN and then "
                "patched, e.g. by nan_to_num, still has a NaN gradient): keep every row's softmax finite")
    return None


def cases_check(name, explain_it=True):
    return grader.cases(name, call=run, compare=compare, explain=explain if explain_it else None)


# ------------------------------------------------------------------ checks
grader.raises("raises ValueError for a window without is_causal, and for window 0 or negative", ValueError, [
    Case(*qkv(torch.Generator().manual_seed(0), (1,), 3, 3, 2, 2), window=2),
    Case(*qkv(torch.Generator().manual_seed(1), (1,), 3, 3, 2, 2), is_causal=True, window=0),
    Case(*qkv(torch.Generator().manual_seed(2), (), 3, 4, 2, 2), is_causal=True, window=-1),
], why="window needs is_causal=True and an int >= 1")


@cases_check("no mask: value and gradients of q, k, v (float64) and value in float32, with 0 to 3 leading dims, "
             "Tq < Tk, Tq = Tk, Tq > Tk, Tq = 1, Tk = 1 and d != dv")
def no_mask(rng):
    gen = tk.generator(rng)
    for lead, tq, tk_, d, dv in SHAPES:
        yield Case(*qkv(gen, lead, tq, tk_, d, dv)).named(f"q {(*lead, tq, d)}, k {(*lead, tk_, d)}, "
                                                           f"v {(*lead, tk_, dv)}")


@cases_check("a given `scale` multiplies the scores (it replaces 1/√d)")
def given_scale(rng):
    gen = tk.generator(rng)
    for (lead, tq, tk_, d, dv), scale in zip(SHAPES[2:], (0.3, 2.0, 1.0, 0.05, 1.7)):
        yield Case(*qkv(gen, lead, tq, tk_, d, dv), scale=scale)


def mask_cases(rng, dtypes):
    gen = tk.generator(rng)
    for lead, tq, tk_, d, dv in SHAPES[1:]:
        for label, shape in broadcast_shapes(lead, tq, tk_):
            for dtype in dtypes:
                mask = random_mask(gen, shape).to(dtype)
                yield Case(*qkv(gen, lead, tq, tk_, d, dv), attn_mask=mask).named(
                    f"{str(dtype).replace('torch.', '')} mask of shape {label} = {tuple(shape)}")


cases_check("bool attn_mask of shape (Tq, Tk), (B, 1, …, 1, Tk) and full: True means 'may attend'")(
    lambda rng: mask_cases(rng, (torch.bool,)))
cases_check("0/1 integer attn_mask (int64 and int32) of every promised shape")(
    lambda rng: mask_cases(rng, (torch.int64, torch.int32)))


@cases_check("is_causal is aligned bottom-right (key j <= i + Tk - Tq): Tq = Tk and Tq < Tk (decoding with a cache)")
def causal(rng):
    gen = tk.generator(rng)
    for lead, tq, tk_, d, dv in [((), 1, 1, 2, 2), ((1,), 2, 2, 4, 4), ((), 2, 3, 4, 3), ((2,), 1, 5, 4, 4),
                                 ((2, 2), 3, 6, 4, 2), ((1, 2, 2), 5, 5, 9, 3), ((2, 3), 4, 11, 8, 8)]:
        yield Case(*qkv(gen, lead, tq, tk_, d, dv), is_causal=True).named(f"Tq = {tq}, Tk = {tk_}")


@cases_check("attn_mask and is_causal together: a key is allowed only where both allow it")
def mask_and_causal(rng):
    gen = tk.generator(rng)
    for lead, tq, tk_, d, dv in [((1,), 3, 3, 4, 4), ((2,), 2, 4, 4, 2), ((2, 2), 4, 4, 4, 3), ((2, 1, 2), 3, 6, 9, 4)]:
        for label, shape in broadcast_shapes(lead, tq, tk_):
            mask = random_mask(gen, shape)
            mask[..., -1] = True  # the diagonal's last key: every row keeps a key under both rules
            for m in (mask, mask.to(torch.int64)):
                yield Case(*qkv(gen, lead, tq, tk_, d, dv), attn_mask=m, is_causal=True).named(
                    f"{str(m.dtype).replace('torch.', '')} mask {label}, Tq = {tq}, Tk = {tk_}")


@cases_check("window = w: each query sees its own position and the w - 1 keys before it (w = 1, 2, 3, > Tk)")
def windows(rng):
    gen = tk.generator(rng)
    for lead, tq, tk_, d, dv in [((), 3, 3, 2, 2), ((1,), 4, 4, 4, 4), ((2,), 2, 6, 4, 3), ((2, 2), 6, 6, 4, 4),
                                 ((1, 2, 1), 5, 8, 9, 2)]:
        for w in (1, 2, 3, tk_ + 2):
            yield Case(*qkv(gen, lead, tq, tk_, d, dv), is_causal=True, window=w).named(f"window = {w}")
        mask = random_mask(gen, (tq, tk_))
        mask[:, -1] = True
        yield Case(*qkv(gen, lead, tq, tk_, d, dv), attn_mask=mask, is_causal=True, window=2).named(
            "window = 2 with a (Tq, Tk) mask")


@cases_check("a query with no allowed key (an all-False mask row, or causal with Tq > Tk) outputs zeros and gets "
             "zero gradient: no NaN or inf, forward or backward")
def empty_rows(rng):
    gen = tk.generator(rng)
    yield Case(*qkv(gen, (), 2, 2, 2, 2), attn_mask=torch.tensor([[True, False], [False, False]])).named(
        "row 1 of the mask is all False")
    yield Case(*qkv(gen, (), 3, 2, 2, 2), is_causal=True).named("causal, Tq = 3 > Tk = 2: query 0 has no key")
    for lead, tq, tk_, d, dv in [((2,), 3, 4, 4, 3), ((2, 2), 5, 5, 4, 4), ((1, 2, 2), 4, 6, 9, 5)]:
        for dtype in (torch.bool, torch.int64):
            yield Case(*qkv(gen, lead, tq, tk_, d, dv),
                       attn_mask=random_mask(gen, (*lead, tq, tk_), empty_rows=True).to(dtype)).named(
                f"a full {str(dtype).replace('torch.', '')} mask with all-False rows")
    for lead, tq, tk_, w in [((2,), 6, 3, None), ((1, 2), 7, 4, 2)]:
        yield Case(*qkv(gen, lead, tq, tk_, 4, 4), is_causal=True, window=w).named(
            f"causal, Tq = {tq} > Tk = {tk_}" + (f", window = {w}" if w else ""))
    mask = random_mask(gen, (2, 1, 1, 5), empty_rows=True)
    yield Case(*qkv(gen, (2, 2), 4, 5, 4, 4), attn_mask=mask, is_causal=True).named(
        "a (B, 1, 1, Tk) mask with an all-False row, and causal")


class AsModule(torch.nn.Module):
    """The attempt's function as a module, for the engine's device checks."""

    def __init__(self, fn):
        super().__init__()
        self.fn = fn

    def forward(self, *args, **kwargs):
        return self.fn(*args, **kwargs)


@grader.property("keeps the inputs' device: on `meta` (nothing built on the CPU inside), forward and backward")
def meta_device(ctx):
    gen = torch.Generator().manual_seed(ctx.seed)
    fn = AsModule(getattr(ctx.attempt, ENTRY))
    for label, kwargs in [("no mask", {}), ("an int64 (B, 1, 1, Tk) mask", {"attn_mask": torch.ones(2, 1, 1, 5,
                                                                                                   dtype=torch.int64)}),
                          ("is_causal", {"is_causal": True}), ("is_causal, window = 2", {"is_causal": True, "window": 2})]:
        dv.assert_keeps_device(fn, qkv(gen, (2, 2), 3, 5, 4, 4), kwargs,
                               case=f"q (2, 2, 3, 4), k (2, 2, 5, 4), v (2, 2, 5, 4), {label}")
