import torch

from harness.engine import Case, Fail, Grader
from harness.engine import torchkit as tk
from harness.engine.show import short

grader = Grader("info_nce")
f64 = torch.float64
_with_negatives = tk.value_and_grads("info_nce", wrt=[0, 1, 2])
_in_batch = tk.value_and_grads("info_nce", wrt=[0, 1])


def run(impl, case):
    has_negatives = len(case.args) > 2 and case.args[2] is not None
    return (_with_negatives if has_negatives else _in_batch)(impl, case)


value_and_grads = dict(call=run, compare=tk.close_with_grads({0: "`query`", 1: "`positive`", 2: "`negatives`"}))




def embeddings(gen, B, N, D, *, scale=1.0, ragged=False):
    """query (B, D), positive (B, D) correlated with it, negatives (B, N, D) or None.
    ragged: every vector gets its own norm, from 1e-3 to 1e3."""
    q = torch.randn(B, D, generator=gen, dtype=f64)
    p = q + 0.8 * torch.randn(B, D, generator=gen, dtype=f64)
    n = None if N is None else torch.randn(B, N, D, generator=gen, dtype=f64)
    out = []
    for x in (q, p, n):
        if x is not None and ragged:
            x = x * 10 ** (torch.rand(x.shape[:-1] + (1,), generator=gen, dtype=f64) * 6 - 3)
        out.append(None if x is None else x * scale)
    return out


def _scalar(value) -> float:
    if isinstance(value, torch.Tensor) and value.numel() == 1:
        return value.item()
    if isinstance(value, (int, float)):
        return float(value)
    raise Fail(f"info_nce should return a scalar (0-dim) tensor, got {short(value, 120)}")


@grader.property("cosine similarities: multiplying every input by 1e-3 or 1e3 leaves the loss unchanged")
def scale_invariance(ctx):
    gen = torch.Generator().manual_seed(ctx.seed)
    for B, N in ((3, 4), (4, None)):
        q, p, n = embeddings(gen, B, N, 8)
        base = _scalar(ctx.attempt.info_nce(q.clone(), p.clone(), None if n is None else n.clone()))
        for s in (1e-3, 1e3):
            got = _scalar(ctx.attempt.info_nce(q * s, p * s, None if n is None else n * s))
            if abs(got - base) > 1e-6 * abs(base) + 1e-9:
                kind = f"with {N} negatives per query" if N else "with in-batch negatives (negatives=None)"
                raise Fail(f"the loss changed from {base:.6g} to {got:.6g} when query, positive and negatives were "
                           f"all multiplied by {s:g}: cosine similarity ignores the vectors' lengths, so "
                           "normalise every vector to unit length before the dot products",
                           case=f"B = {B}, D = 8, {kind}, temperature 0.1")


@grader.cases("explicit negatives, temperature = 1: logits [cos(q_i, p_i), cos(q_i, n_ij)] with every vector "
              "normalised over D, target 0", **value_and_grads)
def explicit(rng):
    gen = tk.generator(rng)
    for B, N, D in ((1, 1, 2), (1, 3, 4), (2, 1, 3), (3, 4, 8), (8, 6, 32)):
        yield Case(*embeddings(gen, B, N, D), temperature=1.0)


@grader.cases("the temperature divides the similarities (0.05, 0.1 by default, 0.5)", **value_and_grads)
def temperatures(rng):
    gen = tk.generator(rng)
    yield Case(*embeddings(gen, 2, 3, 4), temperature=0.5)
    yield Case(*embeddings(gen, 3, 5, 8))
    yield Case(*embeddings(gen, 4, 2, 16), temperature=0.05)
    yield Case(*embeddings(gen, 1, 7, 8), temperature=0.1)


@grader.cases("in-batch negatives (negatives=None): logits[i, j] = cos(q_i, p_j) / temperature, target i",
              **value_and_grads)
def in_batch(rng):
    gen = tk.generator(rng)
    q, p, _ = embeddings(gen, 2, None, 3)
    yield Case(q, p, temperature=1.0)
    q, p, _ = embeddings(gen, 3, None, 4)
    yield Case(q, p, None, temperature=0.5)
    for B, D, temp in ((4, 8, 0.1), (6, 16, 0.05), (8, 32, 1.0)):
        q, p, _ = embeddings(gen, B, None, D)
        yield Case(q, p, temperature=temp)


@grader.cases("inputs scaled by 1e-3 and 1e3, and vectors of very different norms, give the reference's "
              "loss and gradients", **value_and_grads)
def scaled(rng):
    gen = tk.generator(rng)
    for scale in (1e-3, 1e3):
        yield Case(*embeddings(gen, 3, 4, 8, scale=scale)).named(f"every input × {scale:g}")
        q, p, _ = embeddings(gen, 4, None, 8, scale=scale)
        yield Case(q, p).named(f"in-batch, every input × {scale:g}")
    yield Case(*embeddings(gen, 4, 5, 8, ragged=True)).named("norms from 1e-3 to 1e3")
    q, p, _ = embeddings(gen, 5, None, 8, ragged=True)
    yield Case(q, p, temperature=0.5).named("in-batch, norms from 1e-3 to 1e3")

grader.speed(lambda rng: Case(*embeddings(tk.generator(rng), 256, 16, 128)), label="B = 256, 16 negatives, D = 128")
