import torch

from harness.engine import Case, Fail, Grader
from harness.engine import torchkit as tk

CLS = "TransformerEncoderLayer"
SHAPES = [(1, 1, 4, 1, 8), (2, 5, 8, 2, 16), (3, 7, 12, 3, 24)]  # (B, T, d_model, num_heads, d_ff)

grader = Grader(CLS, forbidden=tk.ATTENTION_FORBIDDEN)




def _configs(norm_first, with_masks):
    def configs(rng):
        g = tk.generator(rng)
        for B, T, d, H, ff in SHAPES:
            x = torch.randn(B, T, d, generator=g, dtype=torch.float64)
            if with_masks:
                cases = [Case(x, m).named(label) for label, m in tk.masks(g, B, H, T, T)]
            else:
                cases = [Case(x).named("no mask")]
            yield dict(d_model=d, num_heads=H, d_ff=ff, norm_first=norm_first), cases
    return configs


def _pairs(ctx, **extra):
    """(ref, attempt, x, masks, where) per shape, in float64 and eval mode."""
    g = tk.generator(ctx.rng)
    for B, T, d, H, ff in SHAPES:
        init = dict(d_model=d, num_heads=H, d_ff=ff, **extra)
        ref, got = tk.build_pair(ctx, CLS, init)
        ref.double().eval(), got.double().eval()
        x = torch.randn(B, T, d, generator=g, dtype=torch.float64)
        where = f"{CLS}({', '.join(f'{k}={v!r}' for k, v in init.items())}), x of shape {(B, T, d)}"
        yield ref, got, x, [("no mask", None)] + tk.masks(g, B, H, T, T), where


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
    for _ref, got, x, _masks, where in _pairs(ctx, dropout=0.5):
        with torch.no_grad():
            first, second = got(x), got(x)
        if not torch.equal(first, second):
            raise Fail("after eval(), two calls on the same input returned different outputs: dropout must "
                       "act only in training mode (nn.Dropout modules, or F.dropout(..., training=self.training))",
                       case=where)


@grader.property("self_attn = softmax(q·kᵀ/√head_dim)·v per head, masked keys excluded")
def self_attention_alone(ctx):
    # The contract's `self_attn` must output the reference attention of whatever input it
    # received, so a mistake here is reported apart from the residual/norm wiring.
    for ref, got, x, masks, where in _pairs(ctx):
        for label, mask in masks:
            with torch.no_grad():
                seen = tk.observe(got, "self_attn", lambda: got(x, mask))
                if not seen or not seen[0]:
                    return  # self_attn is not called as a module: the parity checks below cover it
                (query, *_), output = seen
                expected = ref.self_attn(query, mask)
            _compare(expected, output, "self_attn's output", f"{where}, attention_mask: {label}")


@grader.property("ReLU between linear1 and linear2")
def relu_between_linears(ctx):
    for _ref, got, x, _masks, where in _pairs(ctx):
        with torch.no_grad():
            h1, h2 = tk.observe(got, "linear1", lambda: got(x)), tk.observe(got, "linear2", lambda: got(x))
        if h1 is None or h2 is None or not h2[0]:
            return  # linear1/linear2 not called as modules: the parity checks cover it
        if not torch.allclose(h2[0][0], torch.relu(h1[1]), rtol=1e-12, atol=1e-12):
            raise Fail("linear2 should receive relu(linear1(h)) (dropout is off in eval mode); it received "
                       "something else", case=where)


tk.module_parity(grader, "post-norm (default): x = norm1(x + attn(x)); x = norm2(x + ffn(x))", CLS, _configs(False, False))
tk.module_parity(grader, "pre-norm (norm_first=True): x = x + attn(norm1(x)); x = x + ffn(norm2(x))", CLS, _configs(True, False))
tk.module_parity(grader, "attention_mask (True = may attend): causal, key padding, and every shape broadcastable "
                 "to (B, H, T, T); bool and 0/1 in every integer dtype (float64)", CLS,
                 lambda rng: [c for nf in (False, True) for c in _configs(nf, True)(rng)], dtypes=("float64",))

TRAIN = dict(d_model=8, num_heads=2, d_ff=16, dropout=0.5)
tk.train_statistics(grader, "train(): over many dropout draws the outputs have the reference's mean and spread "
                    "(dropout on each sublayer's output and after the ReLU, at rate p)", CLS, TRAIN, [(2, 4, 8)],
                    suspects={"no dropout on the attention sublayer's output, before its residual sum":
                              tk.without("dropout1"),
                              "no dropout inside the feed-forward block, after the ReLU": tk.without("dropout"),
                              "no dropout on the feed-forward sublayer's output, before its residual sum":
                              tk.without("dropout2")})


def _inputs(gen, n):
    masks = tk.masks(gen, 2, TRAIN["num_heads"], n, n)
    label, mask = masks[int(torch.randint(len(masks), (1,), generator=gen))]
    return Case(tk.randn(gen, 2, n, TRAIN["d_model"]), mask).named(f"a {label} mask")


tk.module_promises(grader, CLS, TRAIN, _inputs, train=True, what_varies="other lengths and masks")
