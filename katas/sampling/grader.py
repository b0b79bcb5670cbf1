import math

import torch

from harness.engine import Case, Fail, Grader
from harness.engine import draws as dr
from harness.engine import torchkit as tk
from harness.engine.compare import first_match

grader = Grader(["filter_logits", "sample"])
f64, f32 = torch.float64, torch.float32
INF = float("inf")
N_DRAWS = 100_000


# ------------------------------------------------------------------ the contract's kept set, written without a sort
def survivors(row, temperature, top_k, top_p):
    """Bool (V,) of the tokens kept: the k-th value's ties stay, then token i stays iff the
    probability of the tokens more probable than it is < top_p (brute force, float64)."""
    s = row.double() / temperature
    keep = torch.ones_like(s, dtype=torch.bool)
    if 0 < top_k < s.numel():
        keep = s >= s.topk(top_k).values[-1]
    if top_p < 1.0:
        probs = s.masked_fill(~keep, -INF).softmax(-1)
        before = (probs[None, :] * (probs[None, :] > probs[:, None])).sum(-1)
        keep &= before < top_p
    return keep


def well_posed(logits, temperature, top_k, top_p):
    """The contract's promise on graded inputs: the k-th and (k+1)-th values exactly tied or
    ≥ 1e-6 (relative) apart; masses ≥ 1e-4 away from top_p; no probability tie across it."""
    for row in logits.double():
        s = row / temperature
        if 0 < top_k < s.numel():
            v = s.sort(descending=True).values
            a, b = float(v[top_k - 1]), float(v[top_k])
            if a != b and a - b < 1e-6 * max(abs(a), abs(b)):
                return False
            s = s.masked_fill(s < a, -INF)
        if top_p < 1.0:
            probs = s.softmax(-1)
            alive = probs > 0
            before = (probs[None, :] * (probs[None, :] > probs[:, None])).sum(-1)
            if bool(((before - top_p).abs() < 1e-4)[alive].any()) or bool(
                    ((before + probs - top_p).abs() < 1e-4)[alive].any()):
                return False
            crossing = alive & (before < top_p) & (before + probs > top_p)
            if any(int((probs == probs[i]).sum()) > 1 for i in crossing.nonzero().flatten().tolist()):
                return False
    return True


# ------------------------------------------------------------------ the named mistakes
def mistaken(logits, temperature, top_k, top_p, *, temperature_last=False, drop_crossing=False,
             p_before_k=False, ascending=False):
    s = logits.double() / (1.0 if temperature_last else temperature)
    keep = torch.ones_like(s, dtype=torch.bool)
    if 0 < top_k < s.shape[-1]:
        keep = s >= s.topk(top_k, -1).values[..., -1:]
    if top_p < 1.0:
        probs = (s if p_before_k else s.masked_fill(~keep, -INF)).softmax(-1)
        sorted_p, order = probs.sort(-1, descending=not ascending)
        mass = sorted_p.cumsum(-1) - (0 if drop_crossing else sorted_p)
        keep &= torch.zeros_like(keep).scatter(-1, order, mass < top_p)
    return (s / (temperature if temperature_last else 1.0)).masked_fill(~keep, -INF)


MISTAKES = {
    "the temperature must be applied first (top-k and top-p then work on logits / temperature)":
        dict(temperature_last=True),
    "the token whose probability crosses top_p must be kept (keep a token iff the mass ranked before it is "
    "< top_p), so the top token always survives": dict(drop_crossing=True),
    "top-p must use the probabilities renormalised over the top-k survivors, not the softmax of the whole row":
        dict(p_before_k=True),
    "top-p must keep the most probable tokens: sort in descending order of probability": dict(ascending=True),
}


def explain(case, got):
    if not isinstance(got, torch.Tensor) or got.shape != case.args[0].shape:
        return None
    logits, (temperature, top_k, top_p) = case.args[0], settings(case)
    right = mistaken(logits, temperature, top_k, top_p)
    kept = torch.isfinite(got)
    if 0 < top_k < logits.shape[-1] and bool((kept.sum(-1) == top_k).all()) and bool(
            (torch.isfinite(right).sum(-1) > top_k).any()) and top_p == 1.0:
        return (f"top-k must keep every token tied with the k-th largest value (remove only values < it); you "
                f"kept exactly k = {top_k}")
    suspects = {m: mistaken(logits, temperature, top_k, top_p, **kw) for m, kw in MISTAKES.items()}
    return first_match(got.double(), {m: s for m, s in suspects.items()
                                      if not torch.equal(torch.isfinite(s), torch.isfinite(right))},
                       rtol=1e-4, atol=1e-5)


def settings(case):
    kw = case.kwargs
    return kw.get("temperature", 1.0), kw.get("top_k", 0), kw.get("top_p", 1.0)


def compare_filtered(expected, got):
    """Type, shape, dtype and device; then the kept set (finite entries), token by token; then
    the kept values; removed entries must be exactly -inf."""
    if not isinstance(got, torch.Tensor):
        raise Fail(f"expected a tensor of shape {tuple(expected.shape)}, got {type(got).__name__}")
    if got.shape != expected.shape or got.dtype != expected.dtype or got.device != expected.device:
        raise Fail(f"expected a {str(expected.dtype)[6:]} tensor of shape {tuple(expected.shape)} on "
                   f"{expected.device}, got {str(got.dtype)[6:]} {tuple(got.shape)} on {got.device}")
    want, have = torch.isfinite(expected), torch.isfinite(got.detach())
    if bool(torch.isnan(got).any()) or bool((got == INF).any()):
        raise Fail("your result holds NaN or +inf: removed entries are -inf, kept ones logits / temperature")
    if not torch.equal(want, have):
        b, i = (want != have).nonzero()[0].tolist()
        verb = "should be kept but you removed it" if bool(want[b, i]) else "should be removed but you kept it"
        raise Fail(f"wrong kept set: row {b}, token {i} {verb}",
                   expected=f"row {b} keeps {want[b].nonzero().flatten().tolist()[:20]}",
                   got=f"row {b} keeps {have[b].nonzero().flatten().tolist()[:20]}")
    tk.compare_tensor(expected.where(want, 0), got.detach().where(have, 0), "kept values")


def filter_cases(name):
    return grader.cases(name, entry="filter_logits", compare=compare_filtered, explain=explain)


def t(rows, dtype=f64):
    return torch.tensor(rows, dtype=dtype)


# ------------------------------------------------------------------ filter_logits
BAD = [Case(t([[1.0, 2.0]]), temperature=0.0), Case(t([[1.0, 2.0]]), temperature=-1.0),
       Case(t([[1.0, 2.0]]), top_k=-1), Case(t([[1.0, 2.0]]), top_p=0.0), Case(t([[1.0, 2.0]]), top_p=1.5),
       Case(t([[1.0, 2.0]]), top_p=-0.2)]
grader.raises("filter_logits raises ValueError for temperature <= 0 (no greedy shortcut), top_k < 0 and top_p "
              "outside (0, 1]", ValueError, BAD, entry="filter_logits")
grader.raises("sample raises ValueError for the same arguments", ValueError, BAD, entry="sample")

filter_cases("temperature only: every entry kept, divided by the temperature")([
    Case(t([[1.0, 2.0, 3.0]]), temperature=2.0), Case(t([[0.5, -1.0], [3.0, 3.0]]), temperature=0.25),
    Case(t([[1.0, 2.0, 3.0]], f32), temperature=0.7)])
filter_cases("top-p keeps the token that crosses top_p, and the top token always")([
    Case(t([[math.log(0.5), math.log(0.3), math.log(0.2)]]), top_p=0.7).named("p = [0.5, 0.3, 0.2]"),
    Case(t([[math.log(0.2), math.log(0.5), math.log(0.3)]]), top_p=0.45).named("p = [0.2, 0.5, 0.3]"),
    Case(t([[0.0, 1.0, 2.0, 3.0, 4.0]]), top_p=0.9),
    Case(t([[5.0, 0.0, 1.0], [0.0, 0.1, 0.2]]), top_p=0.01).named("a tiny top_p keeps only the top token"),
    Case(t([[2.0, 1.0, 0.5, -1.0], [0.0, 3.0, 3.5, 1.0]], f32), top_p=0.6)])
filter_cases("top-k keeps every token tied with the k-th largest value (integer logits, top_p = 1)")([
    Case(t([[1.0, 3.0, 3.0, 2.0]]), top_k=2), Case(t([[1.0, 3.0, 2.0, 2.0, 0.0]]), top_k=2),
    Case(t([[4.0, 4.0, 4.0, 1.0], [0.0, 1.0, 1.0, 1.0]]), top_k=1),
    Case(t([[2.0, 1.0, 2.0, 1.0, 0.0, 1.0]], f32), top_k=3)])
filter_cases("top_k = 0 and top_k >= V keep every token")([
    Case(t([[1.0, -2.0, 0.5]]), top_k=0), Case(t([[1.0, -2.0, 0.5]]), top_k=3),
    Case(t([[1.0, -2.0, 0.5], [0.0, 0.0, 9.0]]), top_k=10)])
filter_cases("top_p = 1.0 removes nothing, even tokens whose probability underflows to 0")([
    Case(t([[0.0, -1000.0, -2000.0]]), top_p=1.0), Case(t([[0.0, -1000.0, 5.0]], f32), top_k=0, top_p=1.0)])
filter_cases("temperature, then top-k, then top-p on the survivors renormalised")([
    Case(t([[2.0, 1.0, 0.0, -1.0]]), temperature=0.5, top_p=0.9).named("the temperature changes the kept set"),
    Case(t([[2.0, 1.0, 0.0, -1.0]]), temperature=3.0, top_p=0.6),
    Case(t([[2.0, 1.9, 0.0, -0.5, -0.6]]), top_k=3, top_p=0.6).named("renormalising after top-k changes the set"),
    Case(t([[3.0, 2.5, 2.4, 0.0, -1.0]]), temperature=2.0, top_k=3, top_p=0.5)])


@filter_cases("random rows (B = 1 and 4, scales and offsets differing per row, V = 2 to 1000), random settings, "
              "float64 and float32: kept set and kept values")
def random_filters(rng):
    gen = tk.generator(rng)
    for V in (2, 3, 5, 8, 13, 30, 100, 300, 1000):
        for B, dtype in ((1, f64), (4, f32), (4, f64)):
            for _ in range(20):
                scale = torch.tensor([10.0 ** float(rng.uniform(-1, 1.3)) for _ in range(B)], dtype=f64)[:, None]
                offset = torch.tensor([float(rng.uniform(-50, 50)) for _ in range(B)], dtype=f64)[:, None]
                logits = (offset + scale * tk.randn(gen, B, V)).to(dtype)
                temperature = float(rng.choice([0.5, 0.8, 1.0, 1.5, 2.0]))
                top_k = int(rng.choice([0, 1, 2, max(1, V // 2), V, V + 3]))
                top_p = float(rng.choice([0.05, 0.3, 0.6, 0.9, 0.97, 1.0]))
                if well_posed(logits, temperature, top_k, top_p):
                    yield Case(logits, temperature=temperature, top_k=top_k, top_p=top_p)
                    break


# ------------------------------------------------------------------ sample
SAMPLE_SETTINGS = [  # (logits row, temperature, top_k, top_p)
    ([2.0, 1.0, 0.5, 0.0, -1.0, -3.0], 1.0, 0, 1.0),
    ([2.0, 1.0, 0.5, 0.0, -1.0, -3.0], 0.7, 0, 0.8),
    ([0.3, 2.0, 1.8, -0.5, 1.0, 0.0, 0.9, -2.0], 1.5, 4, 1.0),
    ([0.3, 2.0, 1.8, -0.5, 1.0, 0.0, 0.9, -2.0], 2.0, 5, 0.7),
    ([1.0, 1.0, 1.0, 0.0, 0.0, 3.0, -4.0, 2.0, 2.0, 0.5], 1.0, 3, 1.0),
]


def _probs(ref, row, **kw):
    return ref.filter_logits(row[None], **kw)[0].double().softmax(-1)


@grader.property("sample: 10^5 draws of one row follow softmax of the filtered row (chi-square, p >= 1e-8), "
                 "float64 and float32; removed tokens are never drawn")
def sample_distribution(ctx):
    for row, temperature, top_k, top_p in SAMPLE_SETTINGS:
        for dtype in (f64, f32):
            logits = torch.tensor(row, dtype=dtype)
            kw = dict(temperature=temperature, top_k=top_k, top_p=top_p)
            gen = torch.Generator().manual_seed(ctx.seed)
            batch = logits.expand(N_DRAWS, -1).clone()
            draws = ctx.attempt.sample(batch, generator=gen, **kw)
            case = f"sample(logits = {N_DRAWS} copies of {row} ({str(dtype)[6:]}), " + \
                   ", ".join(f"{k}={v}" for k, v in kw.items()) + ", generator=...)"
            if not isinstance(draws, torch.Tensor) or draws.dtype != torch.int64 or tuple(draws.shape) != (N_DRAWS,):
                raise Fail("sample should return an int64 tensor of shape (B,), one token id per row", case=case,
                           got=f"{type(draws).__name__} {getattr(draws, 'dtype', '')} "
                               f"{tuple(getattr(draws, 'shape', ()))}")
            if not torch.equal(batch, logits.expand(N_DRAWS, -1)):
                raise Fail("sample modified the logits it was given", case=case)
            dr.assert_draws_follow(draws, _probs(ctx.ref, logits, **kw), what="your draws", case=case)


@grader.property("sample: each row of a mixed batch is drawn from its own distribution")
def sample_rows(ctx):
    rows = torch.tensor([[3.0, 0.5, 0.0, -0.5], [0.0, 3.0, 1.0, 0.2], [0.0, 0.0, 0.0, 0.0], [-1.0, 0.0, 1.0, 2.0]],
                        dtype=f64)
    reps = N_DRAWS // len(rows)
    kw = dict(temperature=0.9, top_k=3, top_p=0.95)
    draws = ctx.attempt.sample(rows.repeat(reps, 1), generator=torch.Generator().manual_seed(ctx.seed), **kw)
    for r in range(len(rows)):
        dr.assert_draws_follow(draws[r::len(rows)], _probs(ctx.ref, rows[r], **kw), what=f"the draws of row {r}",
                               case=f"a batch of {len(rows)} different rows repeated {reps} times, "
                                    + ", ".join(f"{k}={v}" for k, v in kw.items()))


@grader.property("sample: draws come only from `generator` (same seed, same draws whatever the global seed; the "
                 "generator advances), and generator=None uses torch's global RNG")
def sample_generator(ctx):
    logits = torch.linspace(0.0, 3.0, 50, dtype=f64).expand(2000, -1).clone()
    dr.assert_generator_discipline(lambda gen: ctx.attempt.sample(logits, top_p=0.9, generator=gen), seed=ctx.seed,
                                   case="sample(2000 rows of 50 logits, top_p=0.9, generator=torch.Generator()"
                                        f".manual_seed({ctx.seed}))")
    torch.manual_seed(ctx.seed)
    a = ctx.attempt.sample(logits)
    torch.manual_seed(ctx.seed)
    b = ctx.attempt.sample(logits)
    if not isinstance(a, torch.Tensor) or not torch.equal(a, b):
        raise Fail("with generator=None, the same torch.manual_seed should give the same draws (use torch's "
                   "global RNG)", case="sample(2000 rows of 50 logits) twice after torch.manual_seed")
