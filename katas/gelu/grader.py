import math

import torch
import torch.nn.functional as F

from harness.engine import Case, Grader
from harness.engine import torchkit as tk
from harness.engine.backward import builtin_call, versus
from harness.engine.compare import first_match

grader = Grader("gelu", forbidden=[
    "torch.nn.functional.gelu", "torch.nn.GELU", "torch.nn.modules.activation.GELU", "torch._C._nn.gelu",
    "torch.ops.aten.gelu", "*.gelu", "*.gelu_", "*.GELU",
])
f64, f32 = torch.float64, torch.float32
SQRT_2_OVER_PI = math.sqrt(2.0 / math.pi)

# The yardstick is torch's own F.gelu, run by the grader on copies of each case.
against_builtin = builtin_call("gelu", lambda x, approximate="none": F.gelu(x, approximate=approximate), wrt=[0])
value_only = builtin_call("gelu", lambda x, approximate="none": F.gelu(x, approximate=approximate), wrt=())


def tanh_form(x, k=SQRT_2_OVER_PI, c=0.044715):
    return 0.5 * x * (1.0 + torch.tanh(k * (x + c * x ** 3)))


def exp_tanh(u):
    return (torch.exp(2 * u) - 1) / (torch.exp(2 * u) + 1)


def named_mistake(case, got):
    """The classic wrong GELUs, recognised by their values on this case."""
    x = case.args[0].detach()
    approximate = case.kwargs.get("approximate", "none")
    exact = 0.5 * x * (1.0 + torch.erf(x / math.sqrt(2.0)))
    with torch.no_grad():
        # the two forms swapped first: an exp-built tanh equals the tanh form until it overflows
        suspects = {"approximate='none' must be the exact erf form; you computed the tanh approximation":
                    tanh_form(x)} if approximate == "none" else {
                    "approximate='tanh' must use the tanh approximation; you computed the exact erf form": exact}
        suspects.update({
            "this is the sigmoid approximation x·σ(1.702x), not F.gelu": x * torch.sigmoid(1.702 * x),
            "the tanh form is missing its cubic term 0.044715·x³": tanh_form(x, c=0.0),
            "the cubic coefficient is 0.044715, not 0.0447": tanh_form(x, c=0.0447),
            "the factor is √(2/π) ≈ 0.7979, not √2/π ≈ 0.4502": tanh_form(x, k=math.sqrt(2.0) / math.pi),
            "a tanh built from exp overflows for large |x| (inf/inf = nan); use torch.tanh":
                0.5 * x * (1.0 + exp_tanh(SQRT_2_OVER_PI * (x + 0.044715 * x ** 3))),
        })
    return first_match(got.got.value, suspects, rtol=1e-6 if x.dtype == f64 else 1e-4, atol=1e-9 if x.dtype == f64 else 1e-5)


f64_checked = dict(call=against_builtin, compare=versus(tk.close_with_grads({0: "`x`"})), explain=named_mistake)
f32_checked = dict(call=against_builtin, compare=versus(tk.close_with_grads({0: "`x`"}, rtol=1e-4, atol=1e-5)),
                   explain=named_mistake)
FAR = [12.0, -12.0, 30.0, -30.0, 1e2, -1e2, 1e3, -1e3, 1e4, -1e4, 0.0, 1e-8, -1e-8]


def grid(dtype):
    """[-10, 10] in steps of 0.25, then the far points."""
    return torch.cat([torch.linspace(-10, 10, 81, dtype=f64), torch.tensor(FAR, dtype=f64)]).to(dtype)


def forms(dtype, rng):
    gen = tk.generator(rng)
    for kwargs in ({}, {"approximate": "none"}, {"approximate": "tanh"}):
        yield Case(torch.tensor([-1.0, 0.5, 2.0], dtype=dtype), **kwargs).named("three values")
    for kwargs in ({}, {"approximate": "tanh"}):
        yield Case(grid(dtype), **kwargs).named("[-10, 10] in steps of 0.25, ±12, ±30, ±1e2, ±1e3, ±1e4, 0, ±1e-8")
    for kwargs in ({}, {"approximate": "none"}, {"approximate": "tanh"}):
        yield Case((torch.randn(2, 3, 4, generator=gen, dtype=f64) * 3).to(dtype), **kwargs).named("a 3-D input")
        yield Case(torch.tensor(-0.75, dtype=dtype), **kwargs).named("a 0-d input")


grader.cases("x is left unchanged (a tensor without grad)", [
    Case(torch.tensor([-2.0, 0.5, 3.0], dtype=f64)), Case(torch.tensor([[1.5, -0.5]], dtype=f32), approximate="tanh"),
], call=value_only, compare=lambda reference, attempt: None)  # only the input here: values are graded below

grader.cases("float64: values and gradients vs F.gelu, default, 'none' and 'tanh', on [-10, 10] and far "
             "out; 0-d and 3-D inputs", lambda rng: forms(f64, rng), **f64_checked)

grader.cases("float32 stays float32: values and gradients vs F.gelu (rtol 1e-4, atol 1e-5)",
             lambda rng: forms(f32, rng), **f32_checked)


@grader.cases("at ±1e3 and ±1e4 the value is x or 0 and the gradient 1 or 0 (finite, float64 and float32)",
              **f64_checked)
def extremes(rng):
    for dtype in (f64, f32):
        for approximate in ("none", "tanh"):
            yield Case(torch.tensor([1e3, -1e3, 1e4, -1e4], dtype=dtype), approximate=approximate)


grader.raises("ValueError for any other approximate: 'Tanh', 'sigmoid', '', 'NONE', 'exact'", ValueError,
              [Case(torch.tensor([0.5, -1.0], dtype=f64), approximate=a)
               for a in ("Tanh", "sigmoid", "", "NONE", "exact")],
              why="approximate must be exactly 'none' or 'tanh'")

grader.speed(lambda rng: Case(torch.randn(1000, 1000, dtype=f64)), call=tk.value_and_grads("gelu", wrt=[0]),
             label="a 1000 × 1000 tensor, value and gradient")
