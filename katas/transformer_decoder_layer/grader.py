import torch

from harness.engine import Case, Fail, Grader
from harness.engine import torchkit as tk

CLS = "TransformerDecoderLayer"
# (B, T, S, d_model, num_heads, d_ff): T = target length, S = memory length
SHAPES = [(1, 1, 1, 4, 1, 8), (2, 5, 7, 8, 2, 16), (3, 6, 3, 12, 3, 24)]

grader = Grader(CLS, forbidden=tk.ATTENTION_FORBIDDEN)




def _mask_pairs(g, B, H, T, S):
    """(label, tgt_mask, memory_mask): causal target with every memory mask form, and full target masks."""
    causal = tk.causal_mask(T)
    out = [("causal tgt_mask", causal, None)]
    for i, (label, mm) in enumerate(tk.masks(g, B, H, T, S, causal=False)):
        tgt = causal if i % 2 == 0 else causal.to(torch.int64)
        out.append((f"causal tgt_mask, memory_mask: {label}", tgt, mm))
    for label, tm in tk.masks(g, B, H, T, T, causal=False):
        out.append((f"tgt_mask: {label}", tm, None))
    return out


def _configs(norm_first, with_masks):
    def configs(rng):
        g = tk.generator(rng)
        for B, T, S, d, H, ff in SHAPES:
            x = torch.randn(B, T, d, generator=g, dtype=torch.float64)
            mem = torch.randn(B, S, d, generator=g, dtype=torch.float64)
            if with_masks:
                cases = [Case(x, mem, tm, mm).named(label) for label, tm, mm in _mask_pairs(g, B, H, T, S)]
            else:
                cases = [Case(x, mem).named("no masks")]
            yield dict(d_model=d, num_heads=H, d_ff=ff, norm_first=norm_first), cases
    return configs


def _pairs(ctx, norm_orders=(False,), **extra):
    """(ref, attempt, x, memory, mask cases, where) per shape, in float64 and eval mode."""
    g = tk.generator(ctx.rng)
    for norm_first in norm_orders:
        for B, T, S, d, H, ff in SHAPES:
            init = dict(d_model=d, num_heads=H, d_ff=ff, norm_first=norm_first, **extra)
            ref, got = tk.build_pair(ctx, CLS, init)
            ref.double().eval(), got.double().eval()
            x = torch.randn(B, T, d, generator=g, dtype=torch.float64)
            mem = torch.randn(B, S, d, generator=g, dtype=torch.float64)
            where = (f"{CLS}({', '.join(f'{k}={v!r}' for k, v in init.items())}), x of shape {(B, T, d)}, "
                     f"memory of shape {(B, S, d)}")
            yield ref, got, x, mem, [("no masks", None, None)] + _mask_pairs(g, B, H, T, S), where


def _compare(expected, got, what, case):
    tk.compare_tensor(expected, got, what, case=case,
                      message=f"{what} is not multi-head attention of its input (scores scaled by 1/√head_dim, "
                              "disallowed keys set to -inf before the softmax, True = may attend)")


grader.raises("num_heads must divide d_model: ValueError at construction", ValueError,
              [Case(10, 3, 16), Case(8, 3, 16), Case(6, 4, 16)],
              call=tk.construct(CLS), entry=CLS,
              why="d_model % num_heads != 0")


@grader.property("eval() turns dropout off: two calls give the same output")
def deterministic_in_eval(ctx):
    for _ref, got, x, mem, _masks, where in _pairs(ctx, dropout=0.5):
        with torch.no_grad():
            first, second = got(x, mem), got(x, mem)
        if not torch.equal(first, second):
            raise Fail("after eval(), two calls on the same input returned different outputs: dropout must "
                       "act only in training mode (nn.Dropout modules, or F.dropout(..., training=self.training))",
                       case=where)


# The two attention checks hook the contract's submodules: each one's output must be the
# reference attention of the input it received, so a mistake inside an attention block is
# reported apart from the residual/norm wiring. When a submodule is not called as a module
# the check cannot observe it and passes; the parity checks below still cover it.
@grader.property("self_attn = softmax(q·kᵀ/√head_dim)·v per head, tgt_mask applied (True = may attend)")
def self_attention_alone(ctx):
    for ref, got, x, mem, masks, where in _pairs(ctx):
        for label, tgt, mm in masks:
            with torch.no_grad():
                seen = tk.observe(got, "self_attn", lambda: got(x, mem, tgt, mm))
                if not seen or not seen[0]:
                    return
                (query, *_), output = seen
                expected = ref.self_attn(query, tgt)
            _compare(expected, output, "self_attn's output", f"{where}, {label}")


@grader.property("cross_attn: queries from x, keys and values from memory itself, memory_mask applied")
def cross_attention_alone(ctx):
    for ref, got, x, mem, masks, where in _pairs(ctx, norm_orders=(False, True)):
        for label, tgt, mm in masks:
            with torch.no_grad():
                seen = tk.observe(got, "cross_attn", lambda: got(x, mem, tgt, mm))
            if not seen or len(seen[0]) < 2:
                return
            (query, context, *_), output = seen
            if context.shape != mem.shape or not torch.equal(context, mem):
                if context.shape == query.shape and torch.equal(context, query):
                    what = "the same tensor as its queries (the target stream), not memory"
                elif context.shape != mem.shape:
                    what = f"a tensor of shape {tuple(context.shape)}, memory has shape {tuple(mem.shape)}"
                else:
                    what = "a transformed copy of memory (a norm applied to it?)"
                raise Fail("cross_attn's keys and values must come from `memory` itself, unchanged (only the "
                           f"target stream is normalised); its keys/values input was {what}",
                           case=f"{where}, {label}")
            with torch.no_grad():
                expected = ref.cross_attn(query, mem, mm)
            _compare(expected, output, "cross_attn's output", f"{where}, {label}")


@grader.property("ReLU between linear1 and linear2")
def relu_between_linears(ctx):
    for _ref, got, x, mem, _masks, where in _pairs(ctx):
        with torch.no_grad():
            h1, h2 = tk.observe(got, "linear1", lambda: got(x, mem)), tk.observe(got, "linear2", lambda: got(x, mem))
        if h1 is None or h2 is None or not h2[0]:
            return  # linear1/linear2 not called as modules: the parity checks cover it
        if not torch.allclose(h2[0][0], torch.relu(h1[1]), rtol=1e-12, atol=1e-12):
            raise Fail("linear2 should receive relu(linear1(h)) (dropout is off in eval mode); it received "
                       "something else", case=where)


tk.module_parity(grader, "post-norm (default): norm1/norm2/norm3 applied to each residual sum", CLS,
                 _configs(False, False), grad_inputs=(0, 1))
tk.module_parity(grader, "pre-norm (norm_first=True): x = x + block(norm_i(x)), memory not normalised", CLS,
                 _configs(True, False), grad_inputs=(0, 1))
tk.module_parity(grader, "masks (True = may attend): causal tgt_mask, memory padding, and every shape "
                 "broadcastable to (B, H, T, S); bool and 0/1 in every integer dtype (float64)", CLS,
                 lambda rng: [c for nf in (False, True) for c in _configs(nf, True)(rng)], grad_inputs=(0, 1),
                 dtypes=("float64",))

TRAIN = dict(d_model=8, num_heads=2, d_ff=16, dropout=0.5)
tk.train_statistics(grader, "train(): over many dropout draws the outputs have the reference's mean and spread "
                    "(dropout on each sublayer's output and after the ReLU, at rate p)", CLS, TRAIN,
                    [(2, 4, 8), (2, 3, 8)],
                    suspects={"no dropout on the self-attention sublayer's output, before its residual sum":
                              tk.without("dropout1"),
                              "no dropout on the cross-attention sublayer's output, before its residual sum":
                              tk.without("dropout2"),
                              "no dropout inside the feed-forward block, after the ReLU": tk.without("dropout"),
                              "no dropout on the feed-forward sublayer's output, before its residual sum":
                              tk.without("dropout3")})


def _inputs(gen, n):
    x, mem = tk.randn(gen, 2, n, TRAIN["d_model"]), tk.randn(gen, 2, n + 1, TRAIN["d_model"])
    masks = tk.masks(gen, 2, TRAIN["num_heads"], n, n + 1, causal=False)
    label, mask = masks[int(torch.randint(len(masks), (1,), generator=gen))]
    return Case(x, mem, tk.causal_mask(n), mask).named(f"causal tgt_mask, a {label} memory_mask")


tk.module_promises(grader, CLS, TRAIN, _inputs, train=True, what_varies="other lengths and masks")


@grader.property("causal tgt_mask: changing x[:, t+1:] leaves outputs 0..t unchanged")
def causal(ctx):
    g = tk.generator(ctx.rng)
    for _ref, got, x, mem, _masks, where in _pairs(ctx, norm_orders=(False, True)):
        B, T, d = x.shape
        mask = tk.causal_mask(T)
        with torch.no_grad():
            base = got(x, mem, mask)
            for t in range(T - 1):
                x2 = x.clone()
                x2[:, t + 1:] = torch.randn(B, T - t - 1, d, generator=g, dtype=torch.float64)
                out = got(x2, mem, mask)
                moved = ~torch.isclose(out[:, :t + 1], base[:, :t + 1], rtol=1e-9, atol=1e-12)
                if bool(moved.any()):
                    b, p, _ = (int(i) for i in moved.nonzero()[0])
                    raise Fail(f"changing x[:, {t + 1}:] changed the output at position {p} (batch {b}): "
                               f"position {p} attends to later tokens; with tgt_mask = tril(ones(T, T)), "
                               "True means 'may attend'", case=f"{where}, causal tgt_mask")
