import torch

from harness.engine import Case, Fail, Grader
from harness.engine import torchkit as tk

CLS = "TransformerEncoderLayer"
FORBIDDEN = [
    "torch.nn.functional.scaled_dot_product_attention", "*.scaled_dot_product_attention",
    "*._scaled_dot_product*",
    "torch.nn.MultiheadAttention", "torch.nn.modules.activation.MultiheadAttention", "*.MultiheadAttention",
    "torch.nn.functional.multi_head_attention_forward", "*.multi_head_attention_forward",
    "torch.nn.Transformer", "torch.nn.TransformerEncoder", "torch.nn.TransformerDecoder",
    "torch.nn.TransformerEncoderLayer", "torch.nn.TransformerDecoderLayer",
    "torch.nn.modules.transformer.Transformer*",
]
SHAPES = [(1, 1, 4, 1, 8), (2, 5, 8, 2, 16), (3, 7, 12, 3, 24)]  # (B, T, d_model, num_heads, d_ff)

grader = Grader(CLS, forbidden=FORBIDDEN)
# Tiny tensors: several intra-op threads only contend (10x slower on a busy machine).
torch.set_num_threads(1)


def _gen(rng) -> torch.Generator:
    return torch.Generator().manual_seed(int(rng.integers(2**31)))


def _configs(norm_first, with_masks):
    def configs(rng):
        g = _gen(rng)
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
    g = _gen(ctx.rng)
    for B, T, d, H, ff in SHAPES:
        init = dict(d_model=d, num_heads=H, d_ff=ff, **extra)
        ref, got = tk.build_pair(ctx, CLS, init)
        ref.double().eval(), got.double().eval()
        x = torch.randn(B, T, d, generator=g, dtype=torch.float64)
        where = f"{CLS}({', '.join(f'{k}={v!r}' for k, v in init.items())}), x of shape {(B, T, d)}"
        yield ref, got, x, [("no mask", None)] + tk.masks(g, B, H, T, T), where


class _Stop(Exception):
    """Raised by a hook once it has seen what it needs: the rest of the forward does not run."""


def _observe(module, run):
    """(float tensor inputs, output) of the first call of ``module`` during ``run()``; the forward
    stops right there, so a mistake further on cannot hide (or crash) this observation."""
    seen = {}

    def hook(_mod, args, kwargs, output):
        seen["inputs"] = [a for a in (*args, *kwargs.values())
                          if isinstance(a, torch.Tensor) and a.is_floating_point()]
        seen["output"] = output[0] if isinstance(output, (tuple, list)) else output
        raise _Stop

    handle = module.register_forward_hook(hook, with_kwargs=True)
    try:
        with torch.no_grad():
            run()
    except _Stop:
        pass
    finally:
        handle.remove()
    return seen


def _relu_fed(got, run):
    """(linear1's output, linear2's input) of the first pass through the feed-forward block."""
    seen = {}
    h1 = got.linear1.register_forward_hook(lambda _m, _a, out: seen.setdefault("h1", out))

    def pre(_m, args):
        seen["h2"] = args[0]
        raise _Stop

    h2 = got.linear2.register_forward_pre_hook(pre)
    try:
        with torch.no_grad():
            run()
    except _Stop:
        pass
    finally:
        h1.remove(), h2.remove()
    return seen


def _compare(expected, got, what, case):
    try:
        tk.compare_tensor(expected, got, what)
    except Fail as fail:
        fail.message = (f"{what} is not multi-head attention of its input (scores scaled by 1/√head_dim, "
                        "disallowed keys set to -inf before the softmax, True = may attend)")
        fail.case = case
        raise


grader.raises("num_heads must divide d_model: ValueError at construction", ValueError,
              [Case(10, 3, 16), Case(8, 3, 16), Case(6, 4, 16)],
              call=lambda impl, c: getattr(impl, CLS)(*c.args, **c.kwargs), entry=CLS,
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
    # Hooks on the contract's `self_attn`: its output must be the reference attention of whatever
    # input it received, so a mistake here is reported apart from the residual/norm wiring.
    for ref, got, x, masks, where in _pairs(ctx):
        for label, mask in masks:
            seen = _observe(got.self_attn, lambda: got(x, mask))
            if not seen or not seen["inputs"]:
                return  # self_attn is not called as a module: the parity checks below cover it
            with torch.no_grad():
                expected = ref.self_attn(seen["inputs"][0], mask)
            _compare(expected, seen["output"], "self_attn's output", f"{where}, attention_mask: {label}")


@grader.property("ReLU between linear1 and linear2")
def relu_between_linears(ctx):
    for _ref, got, x, _masks, where in _pairs(ctx):
        seen = _relu_fed(got, lambda: got(x))
        if "h1" not in seen or "h2" not in seen:
            return  # linear1/linear2 not called as modules: the parity checks cover it
        if not torch.allclose(seen["h2"], torch.relu(seen["h1"]), rtol=1e-12, atol=1e-12):
            raise Fail("linear2 should receive relu(linear1(h)) (dropout is off in eval mode); it received "
                       "something else", case=where)


tk.module_parity(grader, "post-norm (default): x = norm1(x + attn(x)); x = norm2(x + ffn(x))", CLS, _configs(False, False))
tk.module_parity(grader, "pre-norm (norm_first=True): x = x + attn(norm1(x)); x = x + ffn(norm2(x))", CLS, _configs(True, False))
tk.module_parity(grader, "attention_mask (True = may attend): causal, padding, per-head; bool, 0/1", CLS,
                 lambda rng: [c for nf in (False, True) for c in _configs(nf, True)(rng)])
