import copy

import torch

from harness.engine import Case, Fail, Grader
from harness.engine import torchkit as tk

ATTENTION = ["torch.nn.functional.scaled_dot_product_attention", "torch._C._nn.scaled_dot_product_attention",
             "torch.nn.functional.multi_head_attention_forward", "*.scaled_dot_product_attention",
             "*._scaled_dot_product*", "*.multi_head_attention_forward", "torch.nn.MultiheadAttention",
             "torch.nn.Transformer*", "torch.nn.Transformer", "torch.nn.TransformerEncoder",
             "torch.nn.TransformerDecoder", "torch.nn.TransformerEncoderLayer", "torch.nn.TransformerDecoderLayer"]
CLS = "MultiQueryAttention"
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


@grader.property("has q_proj and o_proj: nn.Linear(d_model, d_model), k_proj and v_proj: "
                 "nn.Linear(d_model, head_dim) (one shared head), all with bias, nothing else")
def structure(ctx):
    tk.assert_same_structure(getattr(ctx.ref, CLS)(24, 4), getattr(ctx.attempt, CLS)(24, 4))


@grader.property("scores are divided by √d (d = head_dim), not multiplied by it or left unscaled")
def scale(ctx):
    ref, got = pair(ctx, {**INIT, "d_model": 32, "num_heads": 2})
    x = randn(torch.Generator().manual_seed(ctx.seed), 2, 6, 32)
    with torch.no_grad():
        out = got(x.clone())
        # q_proj scaled by c multiplies every score by c: the reference then computes the mistake
        for factor, mistake in ((4.0, "are not scaled at all"),
                                (16.0, "are multiplied by √d instead of divided by it (dividing by a 1/√d "
                                       "factor does that)")):
            variant = copy.deepcopy(ref)
            variant.q_proj.weight.mul_(factor), variant.q_proj.bias.mul_(factor)
            if not same(out, ref(x)) and same(out, variant(x)):
                raise Fail(f"your attention scores {mistake}: compute q @ k.transpose(-2, -1) / √d, here "
                           f"d = 16 and √d = 4", case=f"{CLS} with d_model=32, num_heads=2, x of shape (2, 6, 32)")


@grader.property("True/1 in the mask means 'may attend' (the mask is not inverted)")
def not_inverted(ctx):
    gen = torch.Generator().manual_seed(ctx.seed)
    ref, got = pair(ctx)
    x = randn(gen, 2, 5, 16)
    mask = torch.rand(2, 4, 5, 5, generator=gen) < 0.5
    mask[..., 0], mask[..., 1] = True, False  # every query keeps a key and hides a key, either way round
    for m in (mask, mask.long()):
        with torch.no_grad():
            out = got(x.clone(), m.clone())
            if not same(out, ref(x, m)) and same(out, ref(x, m == 0)):
                raise Fail("your mask is inverted: you hide the keys where the mask is True/1. True/1 means "
                           "'may attend': fill the scores with -inf where the mask is False/0",
                           case=f"{SHOWN}, x of shape (2, 5, 16), a random (B, H, T, T) "
                                f"{'bool' if m.dtype == torch.bool else '0/1'} mask")


@grader.property("each query's attention weights sum to 1 over the keys it may attend "
                 "(softmax over the keys, mask applied before it)")
def weights_sum_to_one(ctx):
    gen = torch.Generator().manual_seed(ctx.seed)
    ref, got = pair(ctx)
    B, H, T, d = 2, 4, 5, 4
    x, v = randn(gen, B, T, 16), randn(gen, d)
    with torch.no_grad():  # every value vector of every head equals v, so every output row is o_proj(v, …, v)
        got.v_proj.weight.zero_(), got.v_proj.bias.copy_(v.repeat(got.v_proj.bias.numel() // d))
        want = got.o_proj(v.repeat(H))
    for label, mask in [("no mask", None)] + tk.masks(gen, B, H, T, T):
        with torch.no_grad():
            out = got(x.clone(), None if mask is None else mask.clone())
        if not torch.allclose(out, want.expand_as(out), rtol=1e-9, atol=1e-9):
            err = (out - want).abs().amax(-1).nan_to_num(float("inf"))  # the worst row
            b, t = divmod(int(err.argmax()), err.shape[1])
            hint = ("normalise with a softmax over the last axis (the keys)" if mask is None else
                    "apply the mask to the scores (-inf) before the softmax, not to the weights after it")
            raise Fail(f"with {'no' if mask is None else 'a ' + label} mask and every value vector equal to v, "
                       f"every output row should be o_proj([v, …, v]) because each query's weights sum to 1; "
                       f"yours is not: {hint}",
                       case=f"{SHOWN}, v_proj.weight = 0 and v_proj.bias = [v, …, v]",
                       expected=brief(want), got=f"output[{b}, {t}] = {brief(out[b, t])}")


def unmasked(rng):
    for (d_model, heads), (B, T) in [((8, 2), (1, 1)), ((8, 2), (3, 1)), ((12, 3), (1, 5)),
                                     ((16, 1), (2, 4)), ((24, 4), (2, 7)), ((32, 8), (3, 9))]:
        x = torch.from_numpy(rng.normal(0.0, 1.0, (B, T, d_model)))
        yield {"d_model": d_model, "num_heads": heads}, [Case(x).named(f"B={B}, T={T}")]


tk.module_parity(grader, "agrees with the reference without a mask (B = 1, T = 1 and larger; float64 and "
                 "float32; gradients of x and of every parameter)", CLS, unmasked)


@grader.property("keys the mask hides (False/0) have no influence on the output")
def hidden_keys(ctx):
    gen = torch.Generator().manual_seed(ctx.seed)
    ref, got = pair(ctx)
    B, H, T = 3, 4, 6
    x = randn(gen, B, T, 16)
    with torch.no_grad():
        unmasked_ok = same(got(x.clone()), ref(x))
    for label, mask in tk.masks(gen, B, H, T, T):
        hidden = ~mask.bool().expand(B, H, T, T).any(dim=1)  # (B, Tq, Tk): hidden from every head
        for b, i, j in hidden.nonzero()[:3].tolist():
            y = x.clone()
            y[b, j] += 3.0 * randn(gen, 16)  # change a token that query i may not see
            with torch.no_grad():
                before, after = got(x.clone(), mask.clone()), got(y, mask.clone())
            if not torch.allclose(before[b, i], after[b, i], rtol=1e-9, atol=1e-12):
                hint = ("a hidden key must get weight exactly 0: fill its score with -inf before the softmax"
                        if unmasked_ok else "your output already differs from the reference without a mask: "
                                            "fix that first")
                raise Fail(f"with a {label} mask, query {i} may not attend to key {j}, yet changing token {j} "
                           f"changed output {i}; {hint}", case=f"{SHOWN}, x of shape {tuple(x.shape)}, batch "
                           f"row {b}", got=f"output[{b}, {i}] moved by "
                           f"{(after[b, i] - before[b, i]).abs().max().item():.3g}")


def masked(rng):
    gen = torch.Generator().manual_seed(int(rng.integers(2**31)))
    for (d_model, heads), (B, T) in [((8, 2), (1, 1)), ((12, 3), (2, 5)), ((16, 4), (3, 7))]:
        x = torch.from_numpy(rng.normal(0.0, 1.0, (B, T, d_model)))
        yield {"d_model": d_model, "num_heads": heads}, [Case(x, m).named(f"{label} mask")
                                                           for label, m in tk.masks(gen, B, heads, T, T)]


tk.module_parity(grader, "agrees with the reference with causal (T, T), key-padding (B, 1, 1, T) and "
                 "(B, H, T, T) masks, bool and 0/1 (float64 and float32; gradients)", CLS, masked)
