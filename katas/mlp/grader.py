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


P = INIT["dropout"]
tk.train_statistics(
    grader, "train(): over many dropout draws the outputs have the reference's mean and spread (dropout after "
    "the ReLU only, at rate p, survivors scaled by 1/(1 - p))", "MLP", INIT, [(2, 3, INIT["d_model"])],
    suspects={
        "dropout is applied to the input x, not after the ReLU":
            lambda m, x: m.linear2(F.relu(m.linear1(F.dropout(x, P)))),
        "dropout is applied to the output of linear2, not after the ReLU":
            lambda m, x: F.dropout(m.linear2(F.relu(m.linear1(x))), P),
        "the kept units are not scaled by 1/(1 - p) (inverted dropout keeps the mean)":
            lambda m, x: m.linear2(F.dropout(F.relu(m.linear1(x)), P) * (1 - P)),
    })
tk.module_promises(grader, "MLP", INIT, lambda gen, n: Case(tk.randn(gen, 2, n, INIT["d_model"])), train=True,
                   feature_dim=INIT["d_model"])
tk.train_statistics(grader, "train() with the default dropout: the same law as the reference's (the default rate is "
                    "the statement's)", "MLP", {"d_model": 6, "d_ff": 24}, [(2, 3, 6)])
