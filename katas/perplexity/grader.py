import torch
import torch.nn.functional as F

from harness.engine import Case, Fail, Grader, close
from harness.engine import torchkit as tk
from harness.engine.compare import array_diff

grader = Grader("perplexity")
as_float = close(kind="float", allow_0d_tensor=True)
f64 = torch.float64


def batch(gen, lengths, T, V, pad=-100, scale=2.0):
    """Random logits (B, T, V) and labels (B, T); row b has lengths[b] real tokens, then pad.
    Real labels avoid the pad id, so ignore_index=0 can double as a pad id."""
    logits = torch.randn(len(lengths), T, V, generator=gen, dtype=f64) * scale
    low = 1 if 0 <= pad < V else 0
    labels = torch.randint(low, V, (len(lengths), T), generator=gen)
    if 0 <= pad < V:
        labels[labels == pad] = (pad + 1) % V
    for b, n in enumerate(lengths):
        labels[b, n:] = pad
    return logits, labels




grader.cases("uniform logits give perplexity V", [
    Case(torch.zeros(1, 3, 2, dtype=f64), torch.tensor([[0, 1, 1]])),
    Case(torch.full((2, 4, 7), 3.5, dtype=f64), torch.tensor([[1, 2, 3, 4], [6, 5, 0, 0]])),
    Case(torch.zeros(3, 5, 50, dtype=f64), torch.arange(15).reshape(3, 5)),
], compare=as_float)


@grader.cases("one sequence: logits[:, t] predicts labels[:, t + 1] (causal shift)", compare=as_float)
def one_row(rng):
    gen = tk.generator(rng)
    for T, V in ((2, 2), (3, 4), (5, 3), (8, 10), (12, 50)):
        yield Case(*batch(gen, [T], T, V))


@grader.cases("one mean over all counted tokens of the batch (token-weighted; rows of different lengths "
              "padded with -100)", compare=as_float)
def token_weighted(rng):
    gen = tk.generator(rng)
    yield Case(*batch(gen, [3, 3], 3, 4))
    for lengths, T, V in (([4, 2], 4, 5), ([6, 2, 4], 6, 8), ([9, 3, 7, 2], 9, 20), ([12, 12, 5], 12, 50)):
        yield Case(*batch(gen, lengths, T, V))


@grader.cases("skips labels equal to ignore_index (ignore_index=0 as the pad id, -1, and ignored "
              "labels mid-row)", compare=as_float)
def ignore_index(rng):
    gen = tk.generator(rng)
    for pad, lengths, T, V in ((0, [4, 2], 4, 5), (-1, [5, 3], 5, 6), (0, [8, 3, 6], 8, 12), (7, [6, 4], 6, 9)):
        logits, labels = batch(gen, lengths, T, V, pad=pad)
        yield Case(logits, labels, ignore_index=pad)
    logits, labels = batch(gen, [7, 7], 7, 10)
    labels[0, 3] = -100
    labels[1, 1] = -100
    yield Case(logits, labels).named("ignored labels inside the rows")


@grader.cases("logits offset by hundreds: float32 rows around ±89 to ±700 (float32 exp overflows there) "
              "and float64 rows around ±1e3", compare_for=lambda case: close(
                  rtol=1e-5 if case.args[0].dtype == torch.float32 else None, kind="float", allow_0d_tensor=True))
def large_logits(rng):
    # Each row of logits gets one large offset: the answer is that of the unshifted logits, so
    # only exp(logits) without a max shift (a softmax by hand, then log) goes wrong.
    gen = tk.generator(rng)
    for lengths, T, V, dtype in (([3, 2], 3, 4, torch.float32), ([5, 3], 5, 7, torch.float64),
                                 ([6, 6, 2], 6, 10, torch.float32), ([8, 4], 8, 20, torch.float64)):
        logits, labels = batch(gen, lengths, T, V)
        if dtype == torch.float32:
            size = 89 + torch.rand(len(lengths), T, 1, generator=gen, dtype=f64) * 611
        else:
            size = 1e3 + torch.rand(len(lengths), T, 1, generator=gen, dtype=f64) * 100
        sign = torch.randint(0, 2, (len(lengths), T, 1), generator=gen).to(f64) * 2 - 1
        yield Case((logits + sign * size).to(dtype), labels)


grader.raises("no counted token raises ValueError", ValueError, [
    Case(torch.zeros(2, 3, 4, dtype=f64), torch.full((2, 3), -100)).named("every label ignored"),
    Case(torch.zeros(2, 3, 4, dtype=f64), torch.tensor([[1, 0, 0], [2, 0, 0]]), ignore_index=0)
    .named("only position 0, which is never a target, is kept"),
    Case(torch.zeros(3, 1, 5, dtype=f64), torch.tensor([[1], [2], [3]])).named("T = 1"),
], why="no token to average over")


@grader.property("a tensor result carries the right gradient w.r.t. logits (a float result is accepted too)")
def gradient(ctx):
    gen = tk.generator(ctx.rng)
    for lengths, T, V in (([4, 2], 4, 5), ([6, 3, 5], 6, 9)):
        logits, labels = batch(gen, lengths, T, V)
        mine = logits.clone().requires_grad_(True)
        got = ctx.attempt.perplexity(mine, labels.clone())
        if not (isinstance(got, torch.Tensor) and got.requires_grad):
            return  # the contract allows a plain float, which has no gradient to check
        (g_got,) = torch.autograd.grad(got, mine)
        theirs = logits.clone().requires_grad_(True)
        # An independent formula: exp of torch's token-averaged cross-entropy on the shifted tokens.
        ppl = torch.exp(F.cross_entropy(theirs[:, :-1].reshape(-1, V), labels[:, 1:].reshape(-1), ignore_index=-100))
        (g_exp,) = torch.autograd.grad(ppl, theirs)
        diff = array_diff(g_exp.numpy(), g_got.detach().double().numpy(), 1e-6, 1e-9)
        if diff:
            raise Fail("your perplexity tensor is right but its gradient w.r.t. logits is wrong (a detached or "
                       "in-place step in the graph?)", case=f"perplexity(logits {tuple(logits.shape)}, "
                       f"labels with row lengths {lengths})", diff=diff)


grader.speed(lambda rng: Case(*batch(tk.generator(rng), [512] * 4, 512, 1000)), label="logits (4, 512, 1000)")
