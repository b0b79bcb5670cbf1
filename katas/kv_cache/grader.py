import math

import torch

from harness.engine import Case, Fail, Grader
from harness.engine import devices as dv
from harness.engine import sequences as sq
from harness.engine import torchkit as tk
from harness.engine.compare import first_match

CLS = "CachedSelfAttention"
grader = Grader(CLS, forbidden=tk.ATTENTION_FORBIDDEN)
TOLS = {torch.float64: tk.FLOAT64_TOL, torch.float32: tk.FLOAT32_TOL}
SIZES = [((8, 2), (1, 1)), ((8, 2), (2, 4)), ((12, 3), (3, 7)), ((16, 4), (2, 11))]  # (d_model, H), (B, T)


def shown(d_model, heads):
    return f"{CLS}(d_model={d_model}, num_heads={heads})"


def cache_prefix(state, n):
    """The full run's cache after its first ``n`` tokens."""
    return state[0][:, :, :n], state[1][:, :, :n]


def comparer(dtype):
    tol = TOLS[dtype]

    def compare(want, got, what):
        if what == "output":
            return tk.compare_tensor(want, got, "output", tol)
        if not (isinstance(got, (tuple, list)) and len(got) == 2 and all(isinstance(t, torch.Tensor) for t in got)):
            raise Fail(f"the returned cache should be a tuple (k, v) of two tensors, got {type(got).__name__}")
        for name, w, g in zip("kv", want, got):
            if tuple(g.shape) != tuple(w.shape):
                B, H, n, hd = w.shape
                hint = (": it is in (B, T, H, head_dim) layout; keep (B, H, T, head_dim) (transpose(1, 2))"
                        if tuple(g.shape) == (B, n, H, hd) else "")
                raise Fail(f"the cache's {name} has shape {tuple(g.shape)}, expected (B, H, S + T, head_dim) = "
                           f"{tuple(w.shape)}{hint}")
            tk.compare_tensor(w, g, f"cache {name}", tol)

    return compare


def pair(ctx, d_model, heads, dtype):
    """(reference, attempt) with the same random weights, ``eval()``; float32 modules are used as
    built (never cast), float64 ones converted."""
    ref, got = tk.build_pair(ctx, CLS, {"d_model": d_model, "num_heads": heads})
    if dtype == torch.float64:
        ref, got = ref.double(), got.double()
    return ref.eval(), got.eval()


# ------------------------------------------------------------------ the named mistakes
def mistaken(ref, x, cache, heads, *, offset=True, mask_with_cache=True, scale_dim=None, view_split=False):
    """The reference's weights with one mistake: no S offset in the causal mask, no mask when a
    cache is given, 1/√scale_dim, heads split with view(B, H, T, head_dim)."""
    B, T, D = x.shape
    hd = D // heads

    def split(t):
        return t.view(B, heads, T, hd) if view_split else t.reshape(B, T, heads, hd).transpose(1, 2)

    q, k, v = split(ref.q_proj(x)), split(ref.k_proj(x)), split(ref.v_proj(x))
    if cache is not None:
        k, v = torch.cat([cache[0], k], 2), torch.cat([cache[1], v], 2)
    S = k.shape[2] - T
    i = torch.arange(T)[:, None] + (S if offset else 0)
    scores = q @ k.transpose(-2, -1) / math.sqrt(scale_dim or hd)
    if cache is None or mask_with_cache:
        scores = scores.masked_fill(torch.arange(S + T)[None, :] > i, -math.inf)
    out = scores.softmax(-1) @ v
    merged = out.reshape(B, T, D) if view_split else out.transpose(1, 2).reshape(B, T, D)
    return ref.o_proj(merged)


MISTAKES = {
    "a new token does not see the cached positions it may: the causal mask must be offset by the S cached "
    "tokens (new token t sits at position S + t and sees keys 0 … S + t)": dict(offset=False),
    "with a cache your new tokens see later new tokens: apply the causal mask whenever T > 1, cache or not":
        dict(mask_with_cache=False),
    "your scores are scaled by 1/√d_model instead of 1/√head_dim": "scale",
    "heads are split with view(B, H, T, head_dim): head h must own features h·head_dim … (h+1)·head_dim − 1 "
    "(reshape to (B, T, H, head_dim), then transpose(1, 2))": dict(view_split=True),
}


def explain(fail, ref, x, full_state, heads):
    step = getattr(fail, "step", None)
    if step is None or not isinstance(step.output, torch.Tensor):
        return
    chunk = x[:, step.start:step.stop].to(torch.float64)
    cache = None if step.start == 0 else tuple(t.double() for t in cache_prefix(full_state, step.start))
    with torch.no_grad():
        right = mistaken(ref, chunk, cache, heads)
        suspects = {}
        for message, kind in MISTAKES.items():
            kwargs = {"scale_dim": x.shape[-1]} if kind == "scale" else kind
            suspect = mistaken(ref, chunk, cache, heads, **kwargs)
            if not torch.allclose(suspect, right):
                suspects[message] = suspect
    found = first_match(step.output.detach().double(), suspects, rtol=1e-4, atol=1e-5)
    if found:
        fail.message = f"{found} ({fail.message})"


# ------------------------------------------------------------------ checks
grader.raises("raises ValueError when num_heads does not divide d_model", ValueError,
              [Case(d_model=10, num_heads=3), Case(d_model=6, num_heads=4), Case(d_model=8, num_heads=3)],
              call=tk.construct(CLS), why="d_model % num_heads != 0")


@grader.property("has q_proj, k_proj, v_proj, o_proj: nn.Linear(d_model, d_model) with bias, nothing else; any "
                 "d_model divisible by num_heads is accepted (num_heads = 1, head_dim = 1)")
def structure(ctx):
    for d_model, heads in ((24, 4), (1, 1), (6, 1), (3, 3)):
        tk.assert_same_structure(ctx.ref.CachedSelfAttention(d_model, heads),
                                 ctx.attempt.CachedSelfAttention(d_model, heads))


def sequence_check(name, plans_of):
    @grader.property(name)
    def run(ctx):
        gen = torch.Generator().manual_seed(ctx.seed)
        for (d_model, heads), (B, T) in SIZES:
            x64 = tk.randn(gen, B, T, d_model)
            for dtype in (torch.float64, torch.float32):
                ref, got = pair(ctx, d_model, heads, dtype)
                x = x64.to(dtype)
                with torch.no_grad():
                    full_out, full_state = ref(x.clone())
                for plan in plans_of(T, ctx.rng):
                    with torch.no_grad():
                        steps = sq.run_plan(lambda chunk, state: got(chunk.clone(), state), x, plan)
                    try:
                        sq.assert_plan_matches(steps, full_out, full_state, state_prefix=cache_prefix,
                                               compare=comparer(dtype), plan=plan,
                                               context=f"{shown(d_model, heads)} in {str(dtype)[6:]}, x of shape "
                                                       f"{tuple(x.shape)}: ")
                    except Fail as fail:
                        explain(fail, pair(ctx, d_model, heads, torch.float64)[0], x, full_state, heads)
                        raise


sequence_check("one full forward (no cache): output and cache agree with the reference, float64 and float32 "
               "(B = 1 to 3, T = 1 to 11)", lambda T, rng: [[T]])
sequence_check("a prefill then one-token decode steps give the full forward's outputs, and each returned cache "
               "is (B, H, S + T, head_dim) and equals the full run's so far",
               lambda T, rng: [p for p in sq.plans(T, rng, count=0) if len(p) > 1])
sequence_check("chunked prefill (chunks of 1 to 5 tokens) gives the full forward's outputs and caches",
               lambda T, rng: [p for p in sq.plans(T, rng, count=4) if len(p) > 1 and any(n > 1 for n in p[1:])])


@grader.property("gradients of x and of every parameter through the cache (loss on every call's output and the "
                 "last k cache) equal the full forward's: the cache is not detached")
def gradients(ctx):
    gen = torch.Generator().manual_seed(ctx.seed)
    for (d_model, heads), (B, T) in SIZES[1:]:
        ref, got = pair(ctx, d_model, heads, torch.float64)
        x = tk.randn(gen, B, T, d_model)
        w_out, w_k = tk.randn(gen, B, T, d_model), tk.randn(gen, B, heads, T, d_model // heads)

        def loss(steps):
            outs = sum((s.output * w_out[:, s.start:s.stop]).sum() for s in steps)
            return outs + (steps[-1].state[0] * w_k).sum()

        want = sq.plan_grads(lambda c, s: ref(c, s), x, [T], dict(ref.named_parameters()), loss)
        for plan in sq.plans(T, ctx.rng):
            have = sq.plan_grads(lambda c, s: got(c, s), x, plan, dict(got.named_parameters()), loss)
            label = ("one full forward, the loss reading the output and the returned k cache" if len(plan) == 1
                     else "with the cache handed from call to call")
            label += " (the returned cache must not be detached: gradients flow through it into the call that " \
                     "produced it)"
            sq.assert_same_grads(want, have, tol=tk.FLOAT64_TOL, label=label,
                                 case=f"{shown(d_model, heads)}, x of shape {tuple(x.shape)}, "
                                      f"{sq.describe_plan(plan)}")


@grader.property("keeps the input's device: on `meta`, a prefill and a decode step run forward and backward")
def meta_device(ctx):
    module = ctx.attempt.CachedSelfAttention(8, 2).eval()
    x = torch.randn(2, 3, 8)
    case = f"{shown(8, 2)}"
    dv.assert_keeps_device(module, [x], case=f"{case}, prefill x (2, 3, 8)")
    cache = (torch.randn(2, 2, 3, 4), torch.randn(2, 2, 3, 4))
    dv.assert_keeps_device(module, [x[:, :1], cache], case=f"{case}, decode x (2, 1, 8) with a cache of 3")
