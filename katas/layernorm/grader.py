import torch

from harness.engine import Case, Fail, Grader, close
from harness.engine import torchkit as tk
from harness.engine.compare import first_match

grader = Grader("LayerNorm", forbidden=tk.ATTENTION_FORBIDDEN + tk.NORM_FORBIDDEN)
f64 = torch.float64


def fresh(impl, case):
    """A freshly built LayerNorm (weight ones, bias zeros) in float64, applied to x."""
    init = {k: v for k, v in case.kwargs.items() if k != "x"}
    with torch.no_grad():
        return impl.LayerNorm(**init).double()(case.kwargs["x"])


def classic_mistakes(case, got):
    """What the classic mistakes compute on x with weight 1 and bias 0."""
    x, eps = case.kwargs["x"], case.kwargs["eps"]
    c = x - x.mean(-1, keepdim=True)
    var, var_unbiased = x.var(-1, keepdim=True, correction=0), x.var(-1, keepdim=True, correction=1)
    unbiased = "the unbiased variance (x.var() and x.std() divide by hidden_dim - 1 by default; LayerNorm divides by hidden_dim)"
    outside = "eps added to the standard deviation; eps belongs inside the square root: (x - mean) / sqrt(var + eps)"
    why = first_match(got, {
        f"{unbiased} and {outside}": c / (var_unbiased.sqrt() + eps),
        unbiased: c / (var_unbiased + eps).sqrt(),
        outside: c / (var.sqrt() + eps),
        "no eps at all; it belongs inside the square root: (x - mean) / sqrt(var + eps)": c / var.sqrt(),
    }, rtol=1e-9, atol=1e-12)
    # No classic mistake: statistics computed in float32 give the right formula at float32 accuracy.
    x32 = x.float()
    c32 = x32 - x32.mean(-1, keepdim=True)
    in_float32 = c32 / (c32.pow(2).mean(-1, keepdim=True) + eps).sqrt()
    return f"your output matches {why}" if why else tk.float32_precision_hint(c / (var + eps).sqrt(), got,
                                                                             in_float32=in_float32)


@grader.property("parameters: `weight` (ones) and `bias` (zeros), both of shape (hidden_dim,)")
def parameters(ctx):
    ref, got = ctx.ref.LayerNorm(6), ctx.attempt.LayerNorm(6)
    tk.assert_same_structure(ref, got)
    for name, value in (("weight", 1.0), ("bias", 0.0)):
        tensor = got.state_dict()[name]
        if not torch.equal(tensor, torch.full_like(tensor, value)):
            raise Fail(f"`{name}` should start at {'ones' if value else 'zeros'}, so that a fresh LayerNorm "
                       f"only standardises", got=f"{name} = {tensor.tolist()}")


@grader.cases("a fresh LayerNorm standardises each position over its last axis (as nn.LayerNorm)",
              call=fresh, compare=close(kind="tensor", what="output"), explain=classic_mistakes)
def output_at_init(rng):
    gen = tk.generator(rng)
    for hidden, eps in ((2, 1e-5), (5, 1e-5), (64, 1e-5), (16, 1e-3)):
        # rows from unit scale down to a std of 1e-3, where eps is visible
        scale = torch.logspace(0, -3, 4, dtype=f64)[:, None]
        x = torch.randn(2, 4, hidden, generator=gen, dtype=f64) * scale + 0.5
        yield Case(hidden_dim=hidden, eps=eps, x=x).named("as built (weight ones, bias zeros), then forward(x)")


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

tk.module_promises(grader, "LayerNorm", {"hidden_dim": 8}, lambda gen, n: Case(tk.randn(gen, 2, n, 8) * 2 + 0.5),
                   feature_dim=8)
