import torch

from harness.engine import Case, Fail, Grader, close
from harness.engine import torchkit as tk
from harness.engine.compare import first_match

grader = Grader("RMSNorm", forbidden=tk.ATTENTION_FORBIDDEN + tk.NORM_FORBIDDEN)
f64 = torch.float64


def fresh(impl, case):
    """A freshly built RMSNorm (weight ones) in float64, applied to x."""
    init = {k: v for k, v in case.kwargs.items() if k != "x"}
    with torch.no_grad():
        return impl.RMSNorm(**init).double()(case.kwargs["x"])


def classic_mistakes(case, got):
    """What the classic mistakes compute on x with weight 1."""
    x, eps = case.kwargs["x"], case.kwargs["eps"]
    c = x - x.mean(-1, keepdim=True)
    ms = x.pow(2).mean(-1, keepdim=True)
    outside = "eps added to the root mean square, x / (sqrt(mean(x^2)) + eps); eps belongs inside the root"
    why = first_match(got, {
        "a centred x (the mean subtracted first): that is LayerNorm without bias; RMSNorm does not subtract "
        "the mean": c * torch.rsqrt(c.pow(2).mean(-1, keepdim=True) + eps),
        outside: x / (ms.sqrt() + eps),
        "no eps at all; it belongs inside the root: x * rsqrt(mean(x^2) + eps)": x / ms.sqrt(),
        "the L2 norm instead of the root mean square (divide the norm by sqrt(hidden_dim))":
            x / (x.norm(dim=-1, keepdim=True) + eps),
    }, rtol=1e-9, atol=1e-12)
    # No classic mistake: statistics computed in float32 give the right formula at float32 accuracy.
    x32 = x.float()
    in_float32 = x32 * torch.rsqrt(x32.pow(2).mean(-1, keepdim=True) + eps)
    return f"your output matches {why}" if why else tk.float32_precision_hint(x * torch.rsqrt(ms + eps), got,
                                                                             in_float32=in_float32)


def fresh_outputs(scale, label):
    def cases(rng):
        gen = tk.generator(rng)
        for hidden, eps in ((2, 1e-6), (7, 1e-6), (64, 1e-6), (16, 1e-5)):
            x = torch.randn(2, 3, hidden, generator=gen, dtype=f64) * scale + 0.3 * scale
            yield Case(hidden_dim=hidden, eps=eps, x=x).named(f"as built (weight ones), then forward({label} x)")
    return cases


at_init = dict(call=fresh, compare=close(kind="tensor", what="output"), explain=classic_mistakes)


@grader.property("parameters: only `weight` (ones) of shape (hidden_dim,)")
def parameters(ctx):
    ref, got = ctx.ref.RMSNorm(6), ctx.attempt.RMSNorm(6)
    tk.assert_same_structure(ref, got)
    weight = got.state_dict()["weight"]
    if not torch.equal(weight, torch.ones_like(weight)):
        raise Fail("`weight` should start at ones, so that a fresh RMSNorm only normalises",
                   got=f"weight = {weight.tolist()}")


grader.cases("a fresh RMSNorm scales each position to unit root mean square (unit-scale inputs)",
             fresh_outputs(1.0, "unit-scale"), **at_init)
grader.cases("tiny inputs (entries ~1e-4), where the place of eps shows, are normalised as nn.RMSNorm does",
             fresh_outputs(1e-4, "tiny (~1e-4)"), **at_init)


def configs(rng):
    for hidden in (1, 2, 8, 64, 512):
        b, t = int(rng.integers(1, 4)), int(rng.integers(1, 6))
        yield {"hidden_dim": hidden}, [Case(torch.from_numpy(rng.normal(0.5, 2.0, (b, t, hidden)))),
                                       Case(torch.from_numpy(rng.normal(0.0, 1.0, (3, hidden))))]
    yield {"hidden_dim": 16, "eps": 1e-5}, [Case(torch.from_numpy(rng.normal(0.0, 1e-3, (2, 3, 16))))]


tk.module_parity(grader, "agrees with nn.RMSNorm with a random weight (float64 and float32; gradients)",
                 "RMSNorm", configs)


def bfloat16_configs(rng):
    for hidden in (8, 256):
        yield {"hidden_dim": hidden}, [Case(torch.from_numpy(rng.normal(0.0, 3.0, (2, 5, hidden))))]


tk.module_parity(grader, "bfloat16 in, bfloat16 out (module cast with .to(torch.bfloat16); statistics may be "
                 "computed in float32, then cast back), within 2e-2", "RMSNorm", bfloat16_configs,
                 dtypes=("bfloat16",), grads=False)

tk.module_promises(grader, "RMSNorm", {"hidden_dim": 8}, lambda gen, n: Case(tk.randn(gen, 2, n, 8)), feature_dim=8)
