import math

import numpy as np

from harness.engine import Case, Fail, Grader
from harness.engine.rngs import assert_draws_only_from_argument

grader = Grader("estimate_pi", pure=False)  # the rng's state advances by design

P = math.pi / 4


def _sigma(n):
    """Standard deviation of 4 · Binomial(n, π/4) / n."""
    return 4 * math.sqrt(P * (1 - P) / n)


def _estimate(ctx, n, seed):
    out = ctx.attempt.estimate_pi(n, np.random.default_rng(seed))
    if isinstance(out, bool) or not isinstance(out, (float, np.floating)):
        raise Fail(f"expected a float, got {type(out).__name__}", case=f"estimate_pi({n}, default_rng({seed}))",
                   got=repr(out)[:200])
    return float(out)


@grader.property("returns a float")
def returns_float(ctx):
    _estimate(ctx, 1000, ctx.seed)


grader.raises("n_samples <= 0 raises ValueError", ValueError, [Case(0), Case(-1), Case(-1000)],
              call=lambda impl, c: impl.estimate_pi(*c.args, np.random.default_rng(0)), why="n_samples <= 0")


@grader.property("the same seed gives the same estimate (every draw comes from rng)")
def reproducible(ctx):
    n = 10_000
    # random, np.random (and torch) seeded differently on each run, and left as they were
    assert_draws_only_from_argument(lambda: _estimate(ctx, n, ctx.seed), argument="rng", results_word="estimates",
                                    case=f"estimate_pi({n}, np.random.default_rng({ctx.seed})) twice")
    rng = np.random.default_rng(ctx.seed)
    before = rng.bit_generator.state
    ctx.attempt.estimate_pi(n, rng)
    if rng.bit_generator.state == before:
        raise Fail("your function never drew from the rng argument (its state did not change): "
                   "the points must be drawn from rng")


def _within_six_sigma(n, seeds):
    def check(ctx):
        for seed in seeds:
            est = _estimate(ctx, n, seed)
            z = (est - math.pi) / _sigma(n)
            if not abs(z) <= 6:
                raise Fail(f"the estimate is {abs(z):.1f}σ away from π (σ = {_sigma(n):.2g} for n = {n:g}); "
                           "a correct estimator is within 6σ except with probability 2e-9",
                           case=f"estimate_pi({n}, np.random.default_rng({seed}))", expected=f"{math.pi!r} ± "
                           f"{6 * _sigma(n):.2g}", got=repr(est))

    return check


grader.property("within 6σ of π for n = 10^4 (σ ≈ 0.016)")(_within_six_sigma(10**4, (11, 12, 13)))
grader.property("within 6σ of π for n = 10^6 (σ ≈ 0.0016)")(_within_six_sigma(10**6, (21,)))

@grader.property("small n: the estimate is 4 × (points inside) / n_samples (n_samples = 1 is valid)")
def small_n(ctx):
    # With n points, the estimate can only be 4k/n for a count k in 0..n; with one point it is
    # 0.0 or 4.0, and 4.0 about π/4 of the time (30 seeds all giving 0.0: probability 1e-20).
    for n in (1, 2, 3, 7):
        for seed in range(30 if n == 1 else 5):
            est = _estimate(ctx, n, seed)
            k = est * n / 4
            if not (abs(k - round(k)) < 1e-9 and 0 <= round(k) <= n):
                raise Fail(f"with {n} point(s) the estimate must be 4 × (points inside) / {n}, one of "
                           f"{sorted({4 * i / n for i in range(n + 1)})}", case=f"estimate_pi({n}, "
                           f"np.random.default_rng({seed}))", got=repr(est))
    ones = [_estimate(ctx, 1, seed) for seed in range(30)]
    if 4.0 not in ones:
        raise Fail("with one point the estimate should be 4.0 whenever the point falls inside (π/4 of the "
                   "time), but it was 0.0 for 30 seeds: is the last point ever drawn and counted?",
                   case="estimate_pi(1, np.random.default_rng(seed)) for seeds 0..29", got=repr(ones[:5]))


grader.speed(lambda rng: Case(10**7, np.random.default_rng(0)), label="10^7 points", warn_above=8,
             warning="much slower than the reference: a Python loop over the points? Draw and test them "
                     "as numpy arrays")
