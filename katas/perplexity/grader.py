import torch

from harness.engine import Case, Grader, close

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


def seeded(rng):
    return torch.Generator().manual_seed(int(rng.integers(2**31)))


grader.cases("uniform logits give perplexity V", [
    Case(torch.zeros(1, 3, 2, dtype=f64), torch.tensor([[0, 1, 1]])),
    Case(torch.full((2, 4, 7), 3.5, dtype=f64), torch.tensor([[1, 2, 3, 4], [6, 5, 0, 0]])),
    Case(torch.zeros(3, 5, 50, dtype=f64), torch.arange(15).reshape(3, 5)),
], compare=as_float)


@grader.cases("one sequence: logits[:, t] predicts labels[:, t + 1] (causal shift)", compare=as_float)
def one_row(rng):
    gen = seeded(rng)
    for T, V in ((2, 2), (3, 4), (5, 3), (8, 10), (12, 50)):
        yield Case(*batch(gen, [T], T, V))


@grader.cases("one mean over all counted tokens of the batch (token-weighted; rows of different lengths "
              "padded with -100)", compare=as_float)
def token_weighted(rng):
    gen = seeded(rng)
    yield Case(*batch(gen, [3, 3], 3, 4))
    for lengths, T, V in (([4, 2], 4, 5), ([6, 2, 4], 6, 8), ([9, 3, 7, 2], 9, 20), ([12, 12, 5], 12, 50)):
        yield Case(*batch(gen, lengths, T, V))


@grader.cases("skips labels equal to ignore_index (ignore_index=0 as the pad id, -1, and ignored "
              "labels mid-row)", compare=as_float)
def ignore_index(rng):
    gen = seeded(rng)
    for pad, lengths, T, V in ((0, [4, 2], 4, 5), (-1, [5, 3], 5, 6), (0, [8, 3, 6], 8, 12), (7, [6, 4], 6, 9)):
        logits, labels = batch(gen, lengths, T, V, pad=pad)
        yield Case(logits, labels, ignore_index=pad)
    logits, labels = batch(gen, [7, 7], 7, 10)
    labels[0, 3] = -100
    labels[1, 1] = -100
    yield Case(logits, labels).named("ignored labels inside the rows")


grader.raises("no counted token raises ValueError", ValueError, [
    Case(torch.zeros(2, 3, 4, dtype=f64), torch.full((2, 3), -100)).named("every label ignored"),
    Case(torch.zeros(2, 3, 4, dtype=f64), torch.tensor([[1, 0, 0], [2, 0, 0]]), ignore_index=0)
    .named("only position 0, which is never a target, is kept"),
    Case(torch.zeros(3, 1, 5, dtype=f64), torch.tensor([[1], [2], [3]])).named("T = 1"),
], why="no token to average over")
