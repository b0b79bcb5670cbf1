import torch
import torch.nn.functional as F

from harness.engine import Case, Fail, Grader
from harness.engine import torchkit as tk
from harness.engine.compare import first_match

grader = Grader("MLP", forbidden=tk.ATTENTION_FORBIDDEN)
f64 = torch.float64
INIT = {"d_model": 6, "d_ff": 24, "dropout": 0.25}
BUILT = "MLP(6, 24, dropout=0.25)"


def _pair(ctx, init=INIT):
    ref, got = tk.build_pair(ctx, "MLP", init)
    return ref.double(), got.double()


def _input(ctx, *shape):
    return torch.randn(*shape, generator=torch.Generator().manual_seed(ctx.seed), dtype=f64)


def _two_calls(ctx, train):
    """Two calls of the attempt on the same input, in train() or eval() mode, and that input."""
    _ref, got = _pair(ctx)
    got.train(train)
    x = _input(ctx, 2, 3, INIT["d_model"])
    with torch.no_grad():
        return got(x.clone()), got(x.clone()), x


@grader.property("eval(): no dropout, two calls on the same input give the same output")
def eval_is_deterministic(ctx):
    first, second, x = _two_calls(ctx, train=False)
    if not torch.equal(first, second):
        raise Fail("two calls in eval() mode gave different outputs: dropout is still active after .eval() "
                   "(nn.Dropout follows self.training; F.dropout needs training=self.training)",
                   case=f"{BUILT}.eval(), x of shape {tuple(x.shape)}")


@grader.property("eval(): output equals linear2(relu(linear1(x)))")
def eval_formula(ctx):
    ref, got = _pair(ctx)
    ref.eval(), got.eval()
    x = _input(ctx, 3, 4, INIT["d_model"])
    with torch.no_grad():
        expected, output = ref(x.clone()), got(x.clone())
        other_activations = {f"your output matches {act.upper()} between the layers; the contract uses ReLU":
                             ref.linear2(getattr(F, act)(ref.linear1(x))) for act in ("gelu", "silu", "tanh")}
    try:
        tk.compare_tensor(expected, output, "output")
    except Fail as fail:
        fail.case = f"{BUILT}.eval() with random weights, x of shape {tuple(x.shape)}"
        fail.message = first_match(output, other_activations, rtol=1e-9, atol=1e-12) or fail.message
        raise


def configs(rng):
    for d_model, d_ff in ((1, 1), (4, 16), (8, 3), (16, 64)):
        b, t = int(rng.integers(1, 4)), int(rng.integers(1, 6))
        yield {"d_model": d_model, "d_ff": d_ff}, [Case(torch.from_numpy(rng.normal(0, 1, (b, t, d_model)))),
                                                   Case(torch.from_numpy(rng.normal(0, 1, (5, d_model))))]


tk.module_parity(grader, "eval(): agrees with the reference on (B, T, d_model) and (N, d_model), "
                 "float64 and float32", "MLP", configs, grads=False)


@grader.property("train(): dropout is active, repeated calls give different outputs")
def train_varies(ctx):
    first, second, x = _two_calls(ctx, train=True)
    if torch.equal(first, second):
        raise Fail("in train() mode two calls on the same input gave the same output: dropout is not applied "
                   "(nn.Dropout(p) between the ReLU and linear2)",
                   case=f"{BUILT}.train(), x of shape {tuple(x.shape)}")


@grader.property("train(): the mean output over many calls equals the eval() output (inverted dropout, 1/(1-p))")
def train_keeps_mean(ctx):
    ref, got = _pair(ctx)
    ref.eval(), got.train()
    n, x = 4000, _input(ctx, 1, 3, INIT["d_model"])
    with torch.no_grad():
        target = ref(x)[0]
        ctx.seed_everything()
        samples = got(x.expand(n, -1, -1).clone())   # n independent dropout draws at once
    mean, se = samples.mean(0), samples.std(0) / n ** 0.5
    z = ((mean - target).abs() / se.clamp_min(1e-12)).max().item()
    if z > 7.0:   # per-output z-test; a correct attempt exceeds 7 sigma with probability ~1e-10
        ratio = (mean * target).sum().item() / (target * target).sum().item()
        raise Fail(f"over {n} calls in train() mode the mean output is off the eval() output by {z:.0f} standard "
                   f"errors: the kept units must be scaled by 1/(1 - p) (inverted dropout), so that the "
                   f"expectation is unchanged",
                   case=f"{BUILT}.train(), x of shape (3, 6) repeated {n} times as a batch",
                   expected=str(target.numpy().round(4).tolist()), got=str(mean.numpy().round(4).tolist()),
                   diff=f"mean / eval ≈ {ratio:.3f}")
