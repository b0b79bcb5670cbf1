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
grader = Grader("LayerNorm", forbidden=ATTENTION + NORMS)
f64 = torch.float64


def _suspects(x, eps):
    """What the classic mistakes compute on x with weight 1 and bias 0."""
    c = x - x.mean(-1, keepdim=True)
    var, var_unbiased = x.var(-1, keepdim=True, correction=0), x.var(-1, keepdim=True, correction=1)
    unbiased = "the unbiased variance (x.var() and x.std() divide by hidden_dim - 1 by default; LayerNorm divides by hidden_dim)"
    outside = "eps added to the standard deviation; eps belongs inside the square root: (x - mean) / sqrt(var + eps)"
    return {
        f"{unbiased} and {outside}": c / (var_unbiased.sqrt() + eps),
        unbiased: c / (var_unbiased + eps).sqrt(),
        outside: c / (var.sqrt() + eps),
        "no eps at all; it belongs inside the square root: (x - mean) / sqrt(var + eps)": c / var.sqrt(),
    }


@grader.property("parameters: `weight` (ones) and `bias` (zeros), both of shape (hidden_dim,)")
def parameters(ctx):
    ref, got = ctx.ref.LayerNorm(6), ctx.attempt.LayerNorm(6)
    tk.assert_same_structure(ref, got)
    for name, value in (("weight", 1.0), ("bias", 0.0)):
        tensor = got.state_dict()[name]
        if not torch.equal(tensor, torch.full_like(tensor, value)):
            raise Fail(f"`{name}` should start at {'ones' if value else 'zeros'}, so that a fresh LayerNorm "
                       f"only standardises", got=f"{name} = {tensor.tolist()}")


@grader.property("a fresh LayerNorm standardises each position: biased variance, eps inside the square root")
def output_at_init(ctx):
    gen = torch.Generator().manual_seed(ctx.seed)
    for hidden, eps in ((2, 1e-5), (5, 1e-5), (64, 1e-5), (16, 1e-3)):
        # rows from unit scale down to a std of 1e-3, where eps is visible
        scale = torch.logspace(0, -3, 4, dtype=f64)[:, None]
        x = (torch.randn(2, 4, hidden, generator=gen, dtype=f64) * scale + 0.5)
        ref, got = ctx.ref.LayerNorm(hidden, eps=eps).double(), ctx.attempt.LayerNorm(hidden, eps=eps).double()
        with torch.no_grad():
            expected, output = ref(x.clone()), got(x.clone())
        try:
            tk.compare_tensor(expected, output, "output")
        except Fail as fail:
            fail.case = f"LayerNorm({hidden}, eps={eps}) with its initial weight and bias, x of shape {tuple(x.shape)}"
            for what, value in _suspects(x, eps).items():
                if output.shape == value.shape and torch.allclose(output, value, rtol=1e-9, atol=1e-12):
                    fail.message = f"your output matches {what}"
                    break
            raise


def configs(rng):
    for hidden in (2, 3, 16, 64, 257, 1024):
        b, t = int(rng.integers(1, 4)), int(rng.integers(1, 6))
        yield {"hidden_dim": hidden}, [Case(torch.from_numpy(rng.normal(0.3, 2.0, (b, t, hidden)))),
                                       Case(torch.from_numpy(rng.normal(0.0, 1.0, (3, hidden))))]
    yield {"hidden_dim": 8, "eps": 1e-3}, [Case(torch.from_numpy(rng.normal(0.0, 0.05, (2, 3, 8))))]


tk.module_parity(grader, "agrees with nn.LayerNorm with random weight and bias (hidden_dim 2 to 1024; "
                 "float64 and float32; gradients)", "LayerNorm", configs)


def offsets(rng):
    for hidden, std in ((4, 0.1), (64, 1.0), (256, 0.3), (1024, 0.1)):
        yield {"hidden_dim": hidden}, [Case(torch.from_numpy(1e4 + rng.normal(0.0, std, (2, 3, hidden))))
                                       .named(f"1e4 + noise of std {std}")]


tk.module_parity(grader, "rows around 1e4 (1e4 + noise of std 0.1 to 1) keep float64 accuracy "
                 "(no cancellation in E[x^2] - E[x]^2)", "LayerNorm", offsets, dtypes=("float64",), grads=False)
