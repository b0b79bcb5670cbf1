import torch

from harness.engine import Case, Fail, Grader
from harness.engine import torchkit as tk

ATTENTION = ["*.scaled_dot_product_attention", "*._scaled_dot_product*", "torch.nn.MultiheadAttention",
             "*.multi_head_attention_forward", "torch.nn.Transformer*", "torch.nn.Transformer",
             "torch.nn.TransformerEncoder", "torch.nn.TransformerDecoder", "torch.nn.TransformerEncoderLayer",
             "torch.nn.TransformerDecoderLayer"]
NORMS = ["torch.nn.functional.layer_norm", "torch.layer_norm", "torch.native_layer_norm", "torch.nn.LayerNorm",
         "torch.nn.functional.rms_norm", "torch.rms_norm", "torch.nn.RMSNorm",
         "*.layer_norm", "*.native_layer_norm", "*.LayerNorm", "*.rms_norm", "*._fused_rms_norm", "*.RMSNorm"]
grader = Grader("RMSNorm", forbidden=ATTENTION + NORMS)
f64 = torch.float64


def _suspects(x, eps):
    """What the classic mistakes compute on x with weight 1."""
    c = x - x.mean(-1, keepdim=True)
    ms = x.pow(2).mean(-1, keepdim=True)
    outside = "eps added to the root mean square, x / (sqrt(mean(x^2)) + eps); eps belongs inside the root"
    return {
        "a centred x (the mean subtracted first): that is LayerNorm without bias; RMSNorm does not subtract "
        "the mean": c * torch.rsqrt(c.pow(2).mean(-1, keepdim=True) + eps),
        outside: x / (ms.sqrt() + eps),
        "no eps at all; it belongs inside the root: x * rsqrt(mean(x^2) + eps)": x / ms.sqrt(),
        "the L2 norm instead of the root mean square (divide the norm by sqrt(hidden_dim))":
            x / (x.norm(dim=-1, keepdim=True) + eps),
    }


def _fresh_outputs(ctx, scale, label):
    gen = torch.Generator().manual_seed(ctx.seed)
    for hidden, eps in ((2, 1e-6), (7, 1e-6), (64, 1e-6), (16, 1e-5)):
        x = torch.randn(2, 3, hidden, generator=gen, dtype=f64) * scale + 0.3 * scale
        ref, got = ctx.ref.RMSNorm(hidden, eps=eps).double(), ctx.attempt.RMSNorm(hidden, eps=eps).double()
        with torch.no_grad():
            expected, output = ref(x.clone()), got(x.clone())
        try:
            tk.compare_tensor(expected, output, "output")
        except Fail as fail:
            fail.case = f"RMSNorm({hidden}, eps={eps}) with its initial weight, {label} x of shape {tuple(x.shape)}"
            for what, value in _suspects(x, eps).items():
                if output.shape == value.shape and torch.allclose(output, value, rtol=1e-9, atol=1e-12):
                    fail.message = f"your output matches {what}"
                    break
            raise


@grader.property("parameters: only `weight` (ones) of shape (hidden_dim,)")
def parameters(ctx):
    ref, got = ctx.ref.RMSNorm(6), ctx.attempt.RMSNorm(6)
    tk.assert_same_structure(ref, got)
    weight = got.state_dict()["weight"]
    if not torch.equal(weight, torch.ones_like(weight)):
        raise Fail("`weight` should start at ones, so that a fresh RMSNorm only normalises",
                   got=f"weight = {weight.tolist()}")


@grader.property("a fresh RMSNorm gives x * rsqrt(mean(x^2) + eps) on unit-scale inputs")
def output_at_init(ctx):
    _fresh_outputs(ctx, 1.0, "unit-scale")


@grader.property("tiny inputs (entries ~1e-4): eps is added inside the square root")
def tiny_inputs(ctx):
    _fresh_outputs(ctx, 1e-4, "tiny (~1e-4)")


def configs(rng):
    for hidden in (1, 2, 8, 64, 512):
        b, t = int(rng.integers(1, 4)), int(rng.integers(1, 6))
        yield {"hidden_dim": hidden}, [Case(torch.from_numpy(rng.normal(0.5, 2.0, (b, t, hidden)))),
                                       Case(torch.from_numpy(rng.normal(0.0, 1.0, (3, hidden))))]
    yield {"hidden_dim": 16, "eps": 1e-5}, [Case(torch.from_numpy(rng.normal(0.0, 1e-3, (2, 3, 16))))]


tk.module_parity(grader, "agrees with nn.RMSNorm with a random weight (float64 and float32; gradients)",
                 "RMSNorm", configs)


@grader.property("bfloat16 in, bfloat16 out (module cast with .to(torch.bfloat16)), within 2e-2")
def bfloat16(ctx):
    for hidden in (8, 256):
        ref, got = tk.build_pair(ctx, "RMSNorm", {"hidden_dim": hidden})
        ref, got = ref.to(torch.bfloat16).eval(), got.to(torch.bfloat16).eval()
        gen = torch.Generator().manual_seed(ctx.seed + hidden)
        x = (3 * torch.randn(2, 5, hidden, generator=gen)).to(torch.bfloat16)
        with torch.no_grad():
            expected, output = ref(x.clone()), got(x.clone())
        if isinstance(output, torch.Tensor) and output.dtype != torch.bfloat16:
            raise Fail(f"a bfloat16 input should give a bfloat16 output, yours has dtype {output.dtype}: "
                       "compute the statistics in float32 if you like, then cast back to x.dtype",
                       case=f"RMSNorm({hidden}).to(torch.bfloat16), x: bfloat16 of shape {tuple(x.shape)}")
        try:
            tk.compare_tensor(expected, output, "output", tol=(2e-2, 2e-2))
        except Fail as fail:
            fail.case = f"RMSNorm({hidden}).to(torch.bfloat16), x: bfloat16 of shape {tuple(x.shape)}"
            raise
