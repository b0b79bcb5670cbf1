import math
import random

import numpy as np

from harness.engine import Case, Fail, Grader, chi_square
from harness.engine.inplace import Held
from harness.engine.show import short

grader = Grader(["dropout", "dropout_backward"], forbidden=["torch"], pure=False)
ALPHA = 1e-9  # per statistical test: the contract asks for a false-alarm rate below 1e-8
SURVIVOR_RTOL = {np.dtype(np.float64): 1e-12, np.dtype(np.float32): 1e-6}


# ------------------------------------------------------------------ exact statistics
def binomial_two_sided_p(k: int, n: int, p: float) -> float:
    """Exact two-sided binomial p-value (the "minimum likelihood" rule, as scipy's binomtest):
    the probability of every count at most as likely as ``k``. Log-pmf by a cumulative sum of
    the ratio pmf(j)/pmf(j-1), so n = 10^5 costs one vectorised pass."""
    if p in (0.0, 1.0):
        return 1.0 if k == round(n * p) else 0.0
    j = np.arange(1, n + 1)
    log_ratio = np.log((n - j + 1) / j) + math.log(p) - math.log1p(-p)
    log_pmf = np.concatenate([[n * math.log1p(-p)], n * math.log1p(-p) + np.cumsum(log_ratio)])
    cut = log_pmf[k] + 1e-7 * max(1.0, abs(log_pmf[k]))  # ties up to rounding count as "as likely"
    top = log_pmf.max()
    return float(min(1.0, np.exp(log_pmf[log_pmf <= cut] - top).sum() * math.exp(top)))


def binomial_pmf(n: int, p: float) -> list[float]:
    return [math.comb(n, k) * p ** k * (1 - p) ** (n - k) for k in range(n + 1)]


# ------------------------------------------------------------------ calling the attempt
def _nonzero(rng, shape, dtype="float64"):
    sign = np.where(rng.random(shape) < 0.5, -1.0, 1.0)
    return (sign * rng.uniform(0.5, 2.0, shape)).astype(dtype)


def _render(x, p, training, seed):
    return f"dropout(x={short(x, 160) if x.size <= 12 else f'<{x.dtype} array of shape {x.shape}>'}, " \
           f"p={p!r}, training={training}, rng=np.random.default_rng({seed}))"


def forward(ctx, x, p, training=True, seed=0):
    """Run the attempt once; check what every call must satisfy (x unchanged, a (y, mask)
    pair, y of x's shape and dtype, a bool mask of x's shape in training)."""
    case = _render(x, p, training, seed)
    held = Held([x], ["x"])
    out = ctx.attempt.dropout(x, p, training, np.random.default_rng(seed))
    held.assert_unchanged(why="dropout must not modify its input", case=case)
    if not isinstance(out, tuple) or len(out) != 2:
        raise Fail(f"dropout must return a pair (y, mask); yours returned {short(out, 120)}", case=case)
    y, mask = out
    if not isinstance(y, np.ndarray) or y.shape != x.shape:
        raise Fail(f"y must be an array of x's shape {x.shape}", case=case, got=short(y, 160))
    if y.dtype != x.dtype:
        raise Fail(f"y must keep x's dtype: expected {x.dtype}, got {y.dtype}", case=case)
    if training and (not isinstance(mask, np.ndarray) or mask.dtype != np.bool_ or mask.shape != x.shape):
        raise Fail(f"in training the mask must be a bool array of x's shape {x.shape} (True = kept)", case=case,
                   got=short(mask, 160) if not isinstance(mask, np.ndarray) else f"{mask.dtype} array of shape {mask.shape}")
    return y, mask, case


def _check_values(x, y, mask, p, case):
    """Dropped entries exactly 0, kept ones x/(1 − p), consistent with the mask."""
    if np.isnan(y).any():
        raise Fail(f"y contains nan (p = {p})", case=case, got=short(y, 160))
    if np.any(y[~mask] != 0):
        i = tuple(int(v) for v in np.argwhere(~mask & (y != 0))[0])
        raise Fail("entries the mask marks as dropped must be exactly 0", case=case,
                   got=f"mask{list(i)} = False but y{list(i)} = {y[i]!r}")
    want = x[mask].astype(np.float64) / (1.0 - p)
    got = y[mask].astype(np.float64)
    rtol = SURVIVOR_RTOL[x.dtype]
    bad = np.abs(got - want) > rtol * np.abs(want)
    if bad.any():
        k = int(np.argmax(bad))
        hint = ""
        if np.allclose(got, x[mask], rtol=rtol):
            hint = "kept entries must be scaled by 1/(1 − p) in training (inverted dropout); yours are unscaled: "
        elif p > 0 and np.allclose(got, x[mask] / p, rtol=rtol):
            hint = "p is the probability of dropping: survivors are x/(1 − p), yours are x/p: "
        raise Fail(f"{hint}kept entries must equal x/(1 − p) = x·{1 / (1 - p):.6g}", case=case,
                   expected=repr(float(want[k])), got=repr(float(got[k])))


# ------------------------------------------------------------------ checks
@grader.property("eval (training=False) returns x's values exactly, unscaled (float64 and float32, "
                 "p = 0, 0.3, 0.9, 1)")
def eval_identity(ctx):
    for dtype in ("float64", "float32"):
        for shape in ((5,), (3, 4), (2, 3, 2)):
            x = _nonzero(ctx.rng, shape, dtype)
            for p in (0.0, 0.3, 0.9, 1.0):
                y, _, case = forward(ctx, x, p, training=False)
                if not np.array_equal(y, x):
                    hint = ""
                    if p not in (0.0, 1.0) and np.allclose(y, x * (1 - p), rtol=1e-5):
                        hint = ("yours scales by (1 − p) at eval, as non-inverted dropout does; in inverted "
                                "dropout the scaling happens in training and eval is the identity: ")
                    raise Fail(f"{hint}in eval y must be x itself (its exact values)", case=case,
                               expected=short(x, 160), got=short(y, 160))


@grader.property("p = 0 keeps everything and p = 1 drops everything in training (no nan)")
def extremes(ctx):
    for dtype in ("float64", "float32"):
        for shape in ((4,), (3, 5)):
            x = _nonzero(ctx.rng, shape, dtype)
            y, mask, case = forward(ctx, x, 0.0)
            if not mask.all() or not np.array_equal(y, x):
                raise Fail("with p = 0 nothing is dropped: y equals x and the mask is all True", case=case,
                           expected=short(x, 160), got=f"y = {short(y, 160)}, mask = {short(mask, 120)}")
            y, mask, case = forward(ctx, x, 1.0)
            if np.isnan(y).any():
                raise Fail("with p = 1, y must be all zeros; yours has nan (0 · 1/(1 − p) = 0 · inf)", case=case,
                           got=short(y, 160))
            if mask.any() or np.any(y != 0):
                raise Fail("with p = 1 everything is dropped: y all zeros, mask all False", case=case,
                           got=f"y = {short(y, 160)}, mask = {short(mask, 120)}")


@grader.property("training: a bool mask of x's shape, dropped entries 0, survivors x/(1 − p) "
                 "(float64 and float32, small to 10^5 elements)")
def structure(ctx):
    shapes = [(1,), (3,), (2, 5), (4, 3, 2), (100, 1000)]
    for shape in shapes:
        for dtype in ("float64", "float32"):
            x = _nonzero(ctx.rng, shape, dtype)
            for p in (0.1, 0.25, 0.5, 0.9):
                y, mask, case = forward(ctx, x, p, seed=int(ctx.rng.integers(2**31)))
                _check_values(x, y, mask, p, case)


@grader.property("on 10^5 elements the dropped count is Binomial(n, p) and mean(y/x) is 1 "
                 "(p = 0.1, 0.25, 0.5, 0.9; exact tests)")
def frequencies(ctx):
    n = 100_000
    x = _nonzero(ctx.rng, (n,))
    for p in (0.1, 0.25, 0.5, 0.9):
        seed = int(ctx.rng.integers(2**31))
        y, mask, case = forward(ctx, x, p, seed=seed)
        dropped = int(n - mask.sum())
        pval = binomial_two_sided_p(dropped, n, p)
        if pval < ALPHA:
            hint = " (p is the probability of dropping, not of keeping)" if abs(dropped / n - (1 - p)) < 0.01 else ""
            raise Fail(f"each element must be dropped with probability p = {p}: {dropped} of {n} dropped "
                       f"({dropped / n:.2%}){hint}", case=case,
                       expected=f"about {n * p:.0f} (Binomial({n}, {p}))",
                       diff=f"exact two-sided binomial test: p-value {pval:.2g} (a correct dropout fails this "
                            f"with probability below {ALPHA:g})")
        ratio = y / x
        z = (ratio.mean() - 1.0) / math.sqrt(p / (1 - p) / n)
        if math.erfc(abs(z) / math.sqrt(2)) < ALPHA:
            raise Fail(f"E[y] must equal x: mean(y/x) over {n} elements is {ratio.mean():.4f}, not 1", case=case,
                       diff=f"z = {z:.1f}")


@grader.property("4000 calls on 8 elements: dropped counts follow Binomial(8, p), every element's mean is x")
def many_small_calls(ctx):
    calls, n = 4000, 8
    x = _nonzero(ctx.rng, (n,))
    for p in (0.25, 0.5, 0.9):
        base = int(ctx.rng.integers(2**31))
        forward(ctx, x, p, seed=base)  # the per-call promises, once; then one rng for every call
        rng, counts, total = np.random.default_rng(base), {}, np.zeros(n)
        for _ in range(calls):
            y, mask = ctx.attempt.dropout(x, p, True, rng)
            k = int(n - np.count_nonzero(mask))
            counts[k] = counts.get(k, 0) + 1
            total += y
        # Pool the unlikely counts so every cell expects at least 5 (chi-square is valid there).
        pmf, cells, cell_of, acc = binomial_pmf(n, p), [], {}, 0.0
        for k in range(n + 1):
            cell_of[k] = len(cells)
            acc += pmf[k]
            if acc * calls >= 5 or k == n:
                cells.append(acc)
                acc = 0.0
        observed = {}
        for k, c in counts.items():
            observed[cell_of[k]] = observed.get(cell_of[k], 0) + c
        stat, pval = chi_square(observed, dict(enumerate(cells)))
        what = f"rng = np.random.default_rng({base}); {calls} calls of dropout(x={short(x, 120)}, p={p}, " \
               "training=True, rng=rng)"
        if pval < ALPHA:
            fixed = len(counts) == 1
            raise Fail(("each element is dropped independently, so the number dropped per call varies; yours "
                        f"drops exactly {next(iter(counts))} every call" if fixed else
                        "the number of elements dropped per call does not follow Binomial(8, p)"), case=what,
                       expected=", ".join(f"{k}: {calls * q:.0f}" for k, q in enumerate(pmf)),
                       got=", ".join(f"{k}: {counts.get(k, 0)}" for k in range(n + 1)),
                       diff=f"chi-square = {stat:.1f}, p = {pval:.2g} (a correct dropout fails this with "
                            f"probability below {ALPHA:g})")
        mean = total / calls
        z = (mean - x) / (np.abs(x) * math.sqrt(p / (1 - p) / calls))
        worst = int(np.argmax(np.abs(z)))
        if math.erfc(abs(z[worst]) / math.sqrt(2)) * n < ALPHA:
            raise Fail(f"E[y] must equal x element by element: element {worst} averaged {mean[worst]:.4f}, "
                       f"x is {x[worst]:.4f}", case=what, diff=f"z = {z[worst]:.1f}")


@grader.property("random numbers come only from rng: same seed, same y and mask; other seed, other mask; "
                 "np.random's and random's global state untouched")
def reproducible(ctx):
    x = _nonzero(ctx.rng, (40, 25))
    np_state, py_state = np.random.get_state(), random.getstate()
    y1, m1, case = forward(ctx, x, 0.5, seed=7)
    same_np = all(np.array_equal(a, b) if isinstance(a, np.ndarray) else a == b
                  for a, b in zip(np_state, np.random.get_state()))
    if not same_np or random.getstate() != py_state:
        which = "np.random" if not same_np else "random"
        raise Fail(f"draw random numbers only from the `rng` argument; your dropout changed {which}'s global "
                   "state", case=case)
    y2, m2, _ = forward(ctx, x, 0.5, seed=7)
    if not (np.array_equal(m1, m2) and np.array_equal(y1, y2)):
        raise Fail("the same seed must give the same y and mask (are you drawing from rng only?)", case=case)
    _, m3, case3 = forward(ctx, x, 0.5, seed=8)
    if np.array_equal(m1, m3):
        raise Fail("different seeds gave the same mask: the mask must come from rng", case=case3)


@grader.property("float32 x gives a float32 y, in training and in eval")
def float32(ctx):
    x = _nonzero(ctx.rng, (6, 7), "float32")
    for training in (True, False):
        forward(ctx, x, 0.3, training=training)  # forward() checks the dtype


@grader.property("dropout_backward is dy·mask/(1 − p) for the returned mask (float64 and float32, "
                 "p = 0, 0.3, 0.8, 1), without random numbers")
def backward(ctx):
    for dtype in ("float64", "float32"):
        for shape in ((5,), (3, 4), (2, 3, 4)):
            for p in (0.0, 0.3, 0.8, 1.0):
                x = _nonzero(ctx.rng, shape, dtype)
                _, mask, _ = forward(ctx, x, p, seed=int(ctx.rng.integers(2**31)))
                dy = _nonzero(ctx.rng, shape, dtype)
                case = f"_, mask = dropout(x, p={p}, training=True, rng); dropout_backward(dy={short(dy, 120)}, " \
                       f"mask={short(mask, 120)}, p={p})"
                held = Held([dy, mask], ["dy", "mask"])
                np_state = np.random.get_state()[1].copy()
                dx = ctx.attempt.dropout_backward(dy, mask, p)
                held.assert_unchanged(why="dropout_backward must not modify its inputs", case=case)
                if not isinstance(dx, np.ndarray) or dx.shape != dy.shape or dx.dtype != dy.dtype:
                    raise Fail(f"dropout_backward must return an array of dy's shape {dy.shape} and dtype {dy.dtype}",
                               case=case, got=short(dx, 160))
                if np.isnan(dx).any():
                    raise Fail(f"dx contains nan (p = {p})", case=case, got=short(dx, 160))
                want = np.zeros(shape) if p == 1 else np.where(mask, dy.astype(np.float64) / (1 - p), 0.0)
                if not np.allclose(dx, want, rtol=SURVIVOR_RTOL[np.dtype(dtype)], atol=0.0):
                    fresh = not np.array_equal(np.random.get_state()[1], np_state)
                    hint = ("use the mask the forward returned; yours draws a new one: " if fresh or
                            not np.array_equal(dx != 0, mask) else "")
                    raise Fail(f"{hint}dx must be dy·mask/(1 − p)", case=case, expected=short(want.astype(dtype), 160),
                               got=short(dx, 160))


def _both_modes(impl, case):
    return impl.dropout(*case.args, **case.kwargs)


grader.raises("p outside [0, 1] raises ValueError, in training and in eval", ValueError, [
    Case(np.ones(4), p, training, np.random.default_rng(0)).named(f"p = {p!r}, training={training}")
    for training in (True, False) for p in (-0.1, 1.5, 1 + 1e-7, -1e-9)
], call=_both_modes, entry="dropout", why="p is a probability, as torch")

grader.speed(lambda rng: Case(rng.standard_normal((1000, 1000)), 0.1, True, np.random.default_rng(0)),
             entry="dropout", label="a 1000 × 1000 array, p = 0.1")
