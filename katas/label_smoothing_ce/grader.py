import torch
import torch.nn.functional as F

from harness.engine import Case, Grader, close
from harness.engine import torchkit as tk
from harness.engine.backward import builtin_call, versus
from harness.engine.compare import first_match

ENTRY = "label_smoothing_cross_entropy"
grader = Grader(ENTRY, forbidden=[
    "torch.nn.functional.cross_entropy", "torch.nn.CrossEntropyLoss", "torch.nn.modules.loss.CrossEntropyLoss",
    "torch.nn.functional.nll_loss", "torch.nn.NLLLoss", "torch.nn.modules.loss.NLLLoss",
    "torch.nn.functional.kl_div", "torch.nn.KLDivLoss", "torch.nn.modules.loss.KLDivLoss",
    "torch._C._nn.cross_entropy_loss", "torch._C._nn.nll_loss", "torch._C._nn.nll_loss_nd",
    "torch._C._nn.nll_loss2d", "torch.ops.aten.cross_entropy_loss", "torch.ops.aten.nll_loss",
    "*.cross_entropy", "*.cross_entropy_loss", "*.nll_loss", "*.nll_loss_nd", "*.CrossEntropyLoss",
    "*.NLLLoss", "*.kl_div", "*.KLDivLoss",
])
f64, f32 = torch.float64, torch.float32


def builtin(logits, target, smoothing=0.1, ignore_index=-100, reduction="mean"):
    return F.cross_entropy(logits, target, ignore_index=ignore_index, reduction=reduction, label_smoothing=smoothing)


# The yardstick is torch's own F.cross_entropy, run by the grader on copies of each case.
against_builtin = builtin_call(ENTRY, builtin, wrt=[0])
value_only = builtin_call(ENTRY, builtin, wrt=())


def batch(gen, n, c, *, dtype=f64, ignore_index=-100, ignored=0.3, scale=3.0, **kw):
    """logits (n, c) and targets with about `ignored` of them equal to ignore_index (never the first)."""
    logits = (torch.randn(n, c, generator=gen, dtype=f64) * scale).to(dtype)
    target = torch.randint(0, c, (n,), generator=gen)
    target[torch.rand(n, generator=gen) < ignored] = ignore_index
    if target[0] == ignore_index:
        target[0] = (ignore_index + 1) % c
    return Case(logits, target, ignore_index=ignore_index, **kw)


def suspects(case):
    """What the classic mistakes compute on this case."""
    logits, target = case.args
    smoothing = case.kwargs.get("smoothing", 0.1)
    ignore_index, reduction = case.kwargs.get("ignore_index", -100), case.kwargs.get("reduction", "mean")
    logits = logits.detach()
    c = logits.shape[1]
    log_p = torch.log_softmax(logits, 1)
    keep = target != ignore_index
    safe = torch.where(keep, target, torch.zeros_like(target))
    nll = -log_p.gather(1, safe[:, None]).squeeze(1)
    uniform = -log_p.mean(1)
    others = (-log_p.sum(1) - nll) / max(c - 1, 1)
    zero = torch.zeros_like(nll)

    def reduce(loss, kept=keep, denominator=None):
        """The contract's reduction of per-row losses (rows not `kept` count 0), or a wrong denominator."""
        loss = torch.where(kept, loss, zero)
        if reduction == "none":
            return loss
        total = loss.sum()
        return total if reduction == "sum" else total / (kept.sum() if denominator is None else denominator)

    with torch.no_grad():
        naive = -torch.log(torch.softmax(logits, 1))
    listed = target != -100
    smoothed = (1 - smoothing) * nll + smoothing * uniform
    found = {
        "the smoothing mass goes to the other C − 1 classes (ε/(C − 1) each); it spreads over all C "
        "classes, the target included (ε/C each)": reduce((1 - smoothing) * nll + smoothing * others),
        "the mean divides by every row; divide by the number of non-ignored targets":
            reduce(smoothed, denominator=len(target)),
        "ignored rows still pay the smoothing term; an ignored row contributes nothing":
            reduce(torch.where(keep, smoothed, smoothing * uniform), kept=torch.ones_like(keep), denominator=keep.sum()),
        "-100 is hard-coded: the rows to ignore are those whose target equals ignore_index":
            reduce((1 - smoothing) * -log_p.gather(1, torch.where(listed, target, 0)[:, None]).squeeze(1)
                   + smoothing * uniform, kept=listed),
        "log(softmax(...)) underflows to log(0) = -inf for logits far apart; use log_softmax":
            reduce((1 - smoothing) * naive.gather(1, safe[:, None]).squeeze(1) + smoothing * naive.mean(1)),
    }
    right = reduce(smoothed)
    return {m: v for m, v in found.items() if first_match(v, {m: right}) is None}


def named_mistake(case, got):
    return first_match(got.got.value, suspects(case), rtol=1e-5, atol=1e-6)


checked = dict(call=against_builtin, compare=versus(tk.close_with_grads({0: "`logits`"})), explain=named_mistake)
checked32 = dict(call=against_builtin, compare=versus(tk.close_with_grads({0: "`logits`"}, rtol=1e-4, atol=1e-5)),
                 explain=named_mistake)
SHAPES = ((1, 2), (4, 5), (7, 3), (16, 10), (32, 50))
SMOOTHINGS = (0.0, 0.1, 0.3, 1.0)


@grader.cases("logits and target are left unchanged (logits without grad)", call=value_only,
              compare=lambda reference, attempt: None)  # only the inputs here: values are graded below
def unchanged(rng):
    gen = tk.generator(rng)
    yield batch(gen, 4, 5, reduction="none")
    yield batch(gen, 6, 3, ignore_index=0, smoothing=0.3, reduction="sum")


@grader.cases("value and gradient vs F.cross_entropy: float64, smoothing 0, 0.1, 0.3 and 1, every "
              "reduction, about 30 % of the targets ignored (ignore_index -100)", **checked)
def float64_cases(rng):
    gen = tk.generator(rng)
    for i, (n, c) in enumerate(SHAPES):
        for j, reduction in enumerate(("none", "sum", "mean")):
            # every shape with every reduction; every smoothing with every reduction across the shapes
            yield batch(gen, n, c, smoothing=SMOOTHINGS[(i + j) % 4], reduction=reduction)


@grader.cases("float32 logits: the result stays float32 and agrees with F.cross_entropy (rtol 1e-4)",
              **checked32)
def float32_cases(rng):
    gen = tk.generator(rng)
    for n, c in SHAPES:
        for smoothing, reduction in ((0.1, "mean"), (0.3, "none"), (1.0, "sum")):
            yield batch(gen, n, c, dtype=f32, smoothing=smoothing, reduction=reduction)


@grader.cases("ignore_index = 0, a valid class id: those rows are ignored, class 0 still takes its "
              "share of the smoothing", **checked)
def class_zero_ignored(rng):
    gen = tk.generator(rng)
    for n, c in ((4, 3), (7, 5), (16, 10)):
        for reduction in ("none", "sum", "mean"):
            yield batch(gen, n, c, ignore_index=0, ignored=0.4, smoothing=0.2, reduction=reduction)


@grader.cases("the defaults: smoothing 0.1, ignore_index -100, reduction 'mean'", **checked)
def defaults(rng):
    gen = tk.generator(rng)
    for n, c in ((3, 4), (16, 10)):
        logits, target = batch(gen, n, c).args
        yield Case(logits, target)


@grader.cases("logits of ±1e3 give the exact, finite loss and gradient", **checked)
def huge_logits(rng):
    logits = torch.tensor([[1e3, -1e3, 0.0], [-1e3, 1e3, 1e3], [0.0, -1e3, 1e3], [5.0, -2.0, 1.0]], dtype=f64)
    target = torch.tensor([1, 0, 2, 0])
    for smoothing, reduction in ((0.0, "none"), (0.1, "none"), (0.1, "mean"), (1.0, "sum")):
        yield Case(logits, target, smoothing=smoothing, reduction=reduction)
    gen = tk.generator(rng)
    yield batch(gen, 8, 6, scale=1e3, smoothing=0.3, reduction="none").named("logits of scale 1e3")


@grader.cases("every target ignored: 'mean' is NaN (0 / 0, as torch), 'sum' is 0, 'none' is all zeros",
              call=value_only, compare=versus(close(kind="tensor"), part=lambda result: result.value),
              explain=lambda case, got: (
                  "with every target ignored the mean is 0 / 0 = NaN (as torch), not 0"
                  if case.kwargs["reduction"] == "mean" and torch.is_tensor(got.got.value)
                  and got.got.value.numel() == 1 and bool(got.got.value == 0) else None))
def all_ignored(rng):
    gen = tk.generator(rng)
    for ignore_index in (-100, 2):
        for reduction in ("mean", "sum", "none"):
            logits = torch.randn(3, 4, generator=gen, dtype=f64)
            yield Case(logits, torch.full((3,), ignore_index), ignore_index=ignore_index, smoothing=0.1,
                       reduction=reduction)


def small():
    return torch.tensor([[0.5, -1.0, 2.0], [1.0, 0.0, -0.5]], dtype=f64), torch.tensor([2, 0])


grader.raises("ValueError for a smoothing outside [0, 1] or an unknown reduction", ValueError, [
    Case(*small(), smoothing=-0.1), Case(*small(), smoothing=1.5), Case(*small(), smoothing=1.0 + 1e-9),
    Case(*small(), reduction="avg"), Case(*small(), reduction="batchmean"), Case(*small(), reduction="Mean"),
], why="smoothing must lie in [0, 1] and reduction be 'none', 'mean' or 'sum'")

grader.speed(lambda rng: batch(tk.generator(rng), 4096, 1000, smoothing=0.1), call=tk.value_and_grads(ENTRY, wrt=[0]),
             label="4096 × 1000 logits, value and gradient")
