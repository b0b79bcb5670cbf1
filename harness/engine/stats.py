"""Statistical tests for randomized katas: exact chi-square tail, no scipy needed at run time.

Graders use a fixed seed, so a verdict is deterministic; the threshold ``alpha`` bounds the
chance that a correct attempt fails (the contract asks for below 1e-6 per check).
"""
from __future__ import annotations

import math
from collections import Counter
from typing import Hashable, Iterable, Mapping

from .errors import Fail

DEFAULT_ALPHA = 1e-7


def chi2_sf(x: float, df: int) -> float:
    """P(X >= x) for X ~ chi-square(df), via the regularized upper incomplete gamma Q(df/2, x/2).

    Closed forms: even df is a Poisson tail, odd df adds erfc; both are exact sums.
    """
    if df <= 0:
        raise ValueError("df must be positive")
    if x <= 0:
        return 1.0
    half = x / 2.0
    if df % 2 == 0:
        term, total = 1.0, 1.0
        for i in range(1, df // 2):
            term *= half / i
            total += term
        return min(1.0, math.exp(-half + math.log(total)) if total > 0 else 0.0)
    # odd: Q(1/2, h) = erfc(sqrt(h)); Q(a+1, h) = Q(a, h) + h^a e^-h / Gamma(a+1)
    q = math.erfc(math.sqrt(half))
    a = 0.5
    log_term = a * math.log(half) - half - math.lgamma(a + 1)
    for _ in range((df - 1) // 2):
        q += math.exp(log_term)
        a += 1.0
        log_term += math.log(half) - math.log(a)
    return min(1.0, q)


def chi_square(observed: Mapping[Hashable, int], expected_probs: Mapping[Hashable, float]) -> tuple[float, float]:
    """(statistic, p-value) of observed counts against the expected probabilities."""
    n = sum(observed.values())
    stat = 0.0
    for key, prob in expected_probs.items():
        exp = n * prob
        stat += (observed.get(key, 0) - exp) ** 2 / exp
    df = len(expected_probs) - 1
    return stat, chi2_sf(stat, df)


def _pct(x: float) -> str:
    return f"{100 * x:.2f}%"


def assert_uniform(samples: Iterable[Hashable], categories: list, *, what: str, trials_word: str,
                   alpha: float = DEFAULT_ALPHA, show=lambda k: str(k)) -> None:
    """Fail unless every category is equally likely (and nothing outside them appears)."""
    counts = Counter(samples)
    n = sum(counts.values())
    unknown = [k for k in counts if k not in set(categories)]
    if unknown:
        raise Fail(f"{what}: produced {show(unknown[0])}, which is not a possible outcome")
    probs = {k: 1.0 / len(categories) for k in categories}
    stat, p = chi_square(counts, probs)
    if p < alpha:
        ranked = sorted(categories, key=lambda k: counts.get(k, 0))
        lo, hi = ranked[0], ranked[-1]
        raise Fail(
            f"{what} are not equally likely",
            expected=f"each of the {len(categories)} outcomes {_pct(1 / len(categories))} of the time",
            got=f"{show(hi)} {_pct(counts.get(hi, 0) / n)}, {show(lo)} {_pct(counts.get(lo, 0) / n)} "
                f"over {n} {trials_word}",
            diff=f"chi-square = {stat:.1f} with {len(categories) - 1} degrees of freedom, p = {p:.2g} "
                 f"(a fair algorithm fails this with probability below {alpha:g})",
        )


def assert_binomial(successes: int, trials: int, prob: float, *, what: str, alpha: float = DEFAULT_ALPHA) -> None:
    """Two-sided normal test that a frequency matches ``prob`` (trials large)."""
    mean = trials * prob
    sd = math.sqrt(trials * prob * (1 - prob))
    z = (successes - mean) / sd if sd else 0.0
    p = math.erfc(abs(z) / math.sqrt(2))
    if p < alpha:
        raise Fail(f"{what}: frequency {_pct(successes / trials)} instead of {_pct(prob)}",
                   diff=f"{successes} of {trials} (z = {z:.1f}, p = {p:.2g})")


# ---------------------------------------------------------------- randomized algorithms at scale
# Small-n uniformity tests cannot see a generator with a capped range: `randint(0, 32767) % (i + 1)`
# is fair to within 1e-4 at n = 4, yet from index 32768 on it never picks the later items. A
# single long run, cut into a few equal stretches, shows it at once: items (or slots) past the
# cap are missing from whole cells. Cells hold thousands of expected counts, so one run is
# enough; the counts of a permutation or a sample without replacement vary less than the
# multinomial the chi-square assumes, so the test is conservative for a fair algorithm.


def _stretch(i: int, n: int, blocks: int) -> int:
    return i * blocks // n


def _span(b: int, n: int, blocks: int) -> str:
    lo, hi = -(-b * n // blocks), -(-(b + 1) * n // blocks) - 1
    return f"{lo}–{hi}"


def assert_positions_uniform(orders: Iterable[list], n: int, blocks: int, *, what: str,
                             alpha: float = DEFAULT_ALPHA) -> None:
    """Each of ``orders`` is a permutation of ``range(n)`` (order[p] = the item now at slot p).

    Fails unless items from every stretch of ``range(n)`` reach every stretch of slots equally
    often (chi-square on the ``blocks × blocks`` table; use n divisible by ``blocks``).
    """
    counts: Counter = Counter()
    runs = 0
    for order in orders:
        runs += 1
        counts.update((_stretch(item, n, blocks), _stretch(slot, n, blocks)) for slot, item in enumerate(order))
    cells = [(a, b) for a in range(blocks) for b in range(blocks)]
    stat, p = chi_square(counts, {c: 1.0 / len(cells) for c in cells})
    if p < alpha:
        exp = runs * n / len(cells)
        a, b = max(cells, key=lambda c: abs(counts.get(c, 0) - exp))
        raise Fail(
            f"{what}: items from positions {_span(a, n, blocks)} ended in slots {_span(b, n, blocks)} "
            f"{counts.get((a, b), 0)} times instead of about {exp:.0f}",
            expected=f"every item equally likely in every slot, so each of the {len(cells)} (items, slots) "
                     f"stretches gets about {exp:.0f}",
            diff=f"chi-square = {stat:.1f} with {len(cells) - 1} degrees of freedom, p = {p:.2g} over "
                 f"{runs} run(s) of {n} items (a fair shuffle fails this with probability below {alpha:g}); "
                 "is every index reachable at every step, whatever n (no capped or modulo random draw)?")


def assert_indices_spread(indices: Iterable[int], n: int, blocks: int, *, what: str,
                          alpha: float = DEFAULT_ALPHA) -> None:
    """``indices`` (e.g. the stream positions of a sample's items) fall evenly on the
    ``blocks`` equal stretches of ``range(n)`` (chi-square; use n divisible by ``blocks``)."""
    counts = Counter(_stretch(i, n, blocks) for i in indices)
    total = sum(counts.values())
    stat, p = chi_square(counts, {b: 1.0 / blocks for b in range(blocks)})
    if p < alpha:
        exp = total / blocks
        b = max(range(blocks), key=lambda c: abs(counts.get(c, 0) - exp))
        raise Fail(
            f"{what}: {counts.get(b, 0)} of the {total} items came from positions {_span(b, n, blocks)} "
            f"instead of about {exp:.0f}",
            expected=f"every item equally likely, so each of the {blocks} stretches of {n // blocks} items "
                     f"gets about {exp:.0f}",
            got=", ".join(f"{_span(c, n, blocks)}: {counts.get(c, 0)}" for c in range(blocks)),
            diff=f"chi-square = {stat:.1f} with {blocks - 1} degrees of freedom, p = {p:.2g} (a fair sampler "
                 f"fails this with probability below {alpha:g}); is every index reachable at every step, "
                 "whatever n (no capped or modulo random draw)?")
