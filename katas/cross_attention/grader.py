import copy

import torch

from harness.engine import Case, Fail, Grader
from harness.engine import torchkit as tk

ATTENTION = ["torch.nn.functional.scaled_dot_product_attention", "torch._C._nn.scaled_dot_product_attention",
             "torch.nn.functional.multi_head_attention_forward", "*.scaled_dot_product_attention",
             "*._scaled_dot_product*", "*.multi_head_attention_forward", "torch.nn.MultiheadAttention",
             "torch.nn.Transformer*", "torch.nn.Transformer", "torch.nn.TransformerEncoder",
             "torch.nn.TransformerDecoder", "torch.nn.TransformerEncoderLayer", "torch.nn.TransformerDecoderLayer"]
CLS = "CrossAttention"
INIT = {"d_model": 16, "num_heads": 4}
SHOWN = f"{CLS}(d_model=16, num_heads=4)"
grader = Grader(CLS, forbidden=ATTENTION)


def randn(gen, *shape):
    return torch.randn(*shape, generator=gen, dtype=torch.float64)


def pair(ctx, init=INIT):
    ref, got = tk.build_pair(ctx, CLS, init)
    return ref.double().eval(), got.double().eval()


def same(a, b):
    return a.shape == b.shape and torch.allclose(a, b, rtol=1e-6, atol=1e-9)


def brief(t):
    return "[" + ", ".join(f"{v:.4f}" for v in t.tolist()[:4]) + ", …]"


grader.raises("raises ValueError when num_heads does not divide d_model", ValueError,
              [Case(d_model=10, num_heads=3), Case(d_model=6, num_heads=4), Case(d_model=8, num_heads=3)],
              call=lambda impl, c: getattr(impl, CLS)(*c.args, **c.kwargs), why="d_model % num_heads != 0")


@grader.property("has q_proj, k_proj, v_proj, o_proj: nn.Linear(d_model, d_model) with bias, nothing else")
def structure(ctx):
    tk.assert_same_structure(getattr(ctx.ref, CLS)(24, 4), getattr(ctx.attempt, CLS)(24, 4))


@grader.property("scores are divided by √d (d = head_dim), not multiplied by it or left unscaled")
def scale(ctx):
    ref, got = pair(ctx, {"d_model": 32, "num_heads": 2})
    gen = torch.Generator().manual_seed(ctx.seed)
    x, context = randn(gen, 2, 6, 32), randn(gen, 2, 6, 32)
    with torch.no_grad():
        out = got(x.clone(), context.clone())
        # q_proj scaled by c multiplies every score by c: the reference then computes the mistake
        for factor, mistake in ((4.0, "are not scaled at all"),
                                (16.0, "are multiplied by √d instead of divided by it (dividing by a 1/√d "
                                       "factor does that)")):
            variant = copy.deepcopy(ref)
            variant.q_proj.weight.mul_(factor), variant.q_proj.bias.mul_(factor)
            if not same(out, ref(x, context)) and same(out, variant(x, context)):
                raise Fail(f"your attention scores {mistake}: compute q @ k.transpose(-2, -1) / √d, here "
                           f"d = 16 and √d = 4", case=f"{CLS}(d_model=32, num_heads=2), x and context of "
                                                      f"shape (2, 6, 32)")


@grader.property("True/1 in the mask means 'may attend' (the mask is not inverted)")
def not_inverted(ctx):
    gen = torch.Generator().manual_seed(ctx.seed)
    ref, got = pair(ctx)
    x, context = randn(gen, 2, 3, 16), randn(gen, 2, 5, 16)
    mask = torch.rand(2, 4, 3, 5, generator=gen) < 0.5
    mask[..., 0], mask[..., 1] = True, False  # every query keeps a key and hides a key, either way round
    for m in (mask, mask.long()):
        with torch.no_grad():
            out = got(x.clone(), context.clone(), m.clone())
            if not same(out, ref(x, context, m)) and same(out, ref(x, context, m == 0)):
                raise Fail("your mask is inverted: you hide the context tokens where the mask is True/1. True/1 "
                           "means 'may attend': fill the scores with -inf where the mask is False/0",
                           case=f"{SHOWN}, x of shape (2, 3, 16), context of shape (2, 5, 16), a random "
                                f"(B, H, Tq, Tk) {'bool' if m.dtype == torch.bool else '0/1'} mask")


@grader.property("each query's attention weights sum to 1 over the context tokens it may attend "
                 "(softmax over the context axis, mask applied before it)")
def weights_sum_to_one(ctx):
    gen = torch.Generator().manual_seed(ctx.seed)
    ref, got = pair(ctx)
    B, H, Tq, Tk, d = 2, 4, 3, 5, 4
    x, context, v = randn(gen, B, Tq, 16), randn(gen, B, Tk, 16), randn(gen, d)
    with torch.no_grad():  # every value vector of every head equals v, so every output row is o_proj(v, …, v)
        got.v_proj.weight.zero_(), got.v_proj.bias.copy_(v.repeat(H))
        want = got.o_proj(v.repeat(H))
    for label, mask in [("no mask", None)] + tk.masks(gen, B, H, Tq, Tk, causal=False):
        with torch.no_grad():
            out = got(x.clone(), context.clone(), None if mask is None else mask.clone())
        if not torch.allclose(out, want.expand_as(out), rtol=1e-9, atol=1e-9):
            err = (out - want).abs().amax(-1).nan_to_num(float("inf"))  # the worst row
            b, t = divmod(int(err.argmax()), err.shape[1])
            hint = ("normalise with a softmax over the last axis (the context tokens)" if mask is None else
                    "apply the mask to the scores (-inf) before the softmax, not to the weights after it")
            raise Fail(f"with {'no' if mask is None else 'a ' + label} mask and every value vector equal to v, "
                       f"every output row should be o_proj([v, …, v]) because each query's weights sum to 1; "
                       f"yours is not: {hint}",
                       case=f"{SHOWN}, v_proj.weight = 0 and v_proj.bias = [v, …, v]",
                       expected=brief(want), got=f"output[{b}, {t}] = {brief(out[b, t])}")


@grader.property("keys and values come from context: output i depends only on x[i] and the context")
def reads_context(ctx):
    gen = torch.Generator().manual_seed(ctx.seed)
    ref, got = pair(ctx)
    x, context = randn(gen, 2, 4, 16), randn(gen, 2, 6, 16)
    shown = f"{SHOWN}, x of shape (2, 4, 16), context of shape (2, 6, 16)"
    other_queries = x.clone()
    other_queries[:, 1:] += 3.0 * randn(gen, 2, 3, 16)
    with torch.no_grad():
        out = got(x.clone(), context.clone())
        if torch.allclose(out, got(x.clone(), context + 3.0 * randn(gen, 2, 6, 16)), rtol=1e-9, atol=1e-12):
            raise Fail("changing the context did not change the output: keys and values must be projected "
                       "from context (k_proj(context), v_proj(context)); only the queries come from x",
                       case=shown)
        if not torch.allclose(out[:, 0], got(other_queries, context.clone())[:, 0], rtol=1e-9, atol=1e-12):
            raise Fail("changing x at positions 1, 2, 3 changed output 0: each query attends over the context "
                       "only (keys and values from context, not from x), the softmax runs over the context axis, "
                       "and output row i comes from query i (merge heads with transpose(1, 2) before the reshape)",
                       case=shown)


SIZES = [((8, 2), (1, 1, 1)), ((8, 2), (2, 1, 6)), ((12, 3), (1, 5, 2)), ((16, 1), (2, 3, 7)),
         ((24, 4), (3, 7, 4)), ((32, 8), (2, 4, 9))]


def unmasked(rng):
    for (d_model, heads), (B, Tq, Tk) in SIZES:
        x = torch.from_numpy(rng.normal(0.0, 1.0, (B, Tq, d_model)))
        context = torch.from_numpy(rng.normal(0.0, 1.0, (B, Tk, d_model)))
        yield {"d_model": d_model, "num_heads": heads}, [Case(x, context).named(f"B={B}, Tq={Tq}, Tk={Tk}")]


tk.module_parity(grader, "agrees with the reference without a mask (Tq < Tk, Tq > Tk, Tq = 1, B = 1; float64 and "
                 "float32; gradients of x, context and every parameter)", CLS, unmasked, grad_inputs=(0, 1))


@grader.property("context tokens the mask hides (False/0) have no influence on the output")
def hidden_keys(ctx):
    gen = torch.Generator().manual_seed(ctx.seed)
    ref, got = pair(ctx)
    B, H, Tq, Tk = 3, 4, 4, 6
    x, context = randn(gen, B, Tq, 16), randn(gen, B, Tk, 16)
    shown = f"{SHOWN}, x of shape {tuple(x.shape)}, context of shape {tuple(context.shape)}"
    with torch.no_grad():
        unmasked_ok = same(got(x.clone(), context.clone()), ref(x, context))
    for label, mask in tk.masks(gen, B, H, Tq, Tk, causal=False):
        hidden = ~mask.bool().expand(B, H, Tq, Tk).any(dim=1)  # (B, Tq, Tk): hidden from every head
        for b, i, j in hidden.nonzero()[:3].tolist():
            changed = context.clone()
            changed[b, j] += 3.0 * randn(gen, 16)  # change a context token that query i may not see
            with torch.no_grad():
                before = got(x.clone(), context.clone(), mask.clone())
                after = got(x.clone(), changed, mask.clone())
            if not torch.allclose(before[b, i], after[b, i], rtol=1e-9, atol=1e-12):
                hint = ("a hidden key must get weight exactly 0 and stay out of the softmax's sum: fill its "
                        "score with -inf before the softmax" if unmasked_ok else
                        "your output already differs from the reference without a mask: fix that first")
                raise Fail(f"with a {label} mask, query {i} may not attend to context token {j}, yet changing "
                           f"that token changed output {i}; {hint}", case=f"{shown}, batch row {b}",
                           got=f"output[{b}, {i}] moved by {(after[b, i] - before[b, i]).abs().max().item():.3g}")


def masked(rng):
    gen = torch.Generator().manual_seed(int(rng.integers(2**31)))
    for (d_model, heads), (B, Tq, Tk) in [((8, 2), (1, 1, 3)), ((12, 3), (2, 5, 3)), ((16, 4), (3, 4, 7))]:
        x = torch.from_numpy(rng.normal(0.0, 1.0, (B, Tq, d_model)))
        context = torch.from_numpy(rng.normal(0.0, 1.0, (B, Tk, d_model)))
        yield {"d_model": d_model, "num_heads": heads}, [
            Case(x, context, m).named(f"{label} mask") for label, m in tk.masks(gen, B, heads, Tq, Tk, causal=False)]


tk.module_parity(grader, "agrees with the reference with key-padding (B, 1, 1, Tk) and (B, H, Tq, Tk) masks, "
                 "bool and 0/1 (float64 and float32; gradients)", CLS, masked, grad_inputs=(0, 1))
