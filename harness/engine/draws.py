"""Draws from a torch.Generator against the distribution they promise.

:func:`assert_draws_follow` is a chi-square goodness-of-fit test of categorical draws (the
exact tail of :mod:`harness.engine.stats`), rejecting at ``p < alpha`` (1e-8 by default, the
inference katas' contract); a draw of a zero-probability category fails outright.
:func:`assert_generator_discipline` checks where the randomness comes from: only from the
generator passed in (same seed, same draws, whatever the global RNG does; the global RNG
left alone), advancing it (two calls differ).
"""
from __future__ import annotations

from typing import Callable, Sequence

import torch

from .errors import Fail
from .stats import chi_square

ALPHA = 1e-8  # the contract: a correct sampler fails a check with probability below 1e-8
MIN_EXPECTED = 5.0  # categories expected fewer times are pooled (the chi-square approximation needs it)


def _pct(x: float) -> str:
    return f"{100 * x:.3g}%"


def counts_of(draws: torch.Tensor, categories: int) -> list[int]:
    """How often each of ``categories`` values was drawn; Fail on a value outside them."""
    flat = draws.detach().reshape(-1).cpu().long()
    if flat.numel() and (int(flat.min()) < 0 or int(flat.max()) >= categories):
        bad = int(flat[(flat < 0) | (flat >= categories)][0])
        raise Fail(f"drew {bad}, which is not a token id (0 … {categories - 1})")
    return torch.bincount(flat, minlength=categories).tolist()


def assert_draws_follow(draws: torch.Tensor, probs: Sequence[float] | torch.Tensor, *, what: str = "the draws",
                        case: str | None = None, alpha: float = ALPHA, show: Callable[[int], str] = lambda i: f"token {i}"
                        ) -> None:
    """Fail unless ``draws`` (ints) look like independent draws from ``probs``.

    Categories of probability 0 must never be drawn. Categories expected fewer than 5 times
    are pooled into one bin. The failure names the categories furthest from their share."""
    p = [float(v) for v in (probs.tolist() if isinstance(probs, torch.Tensor) else probs)]
    counts = counts_of(draws, len(p))
    n = sum(counts)
    impossible = [i for i, (c, q) in enumerate(zip(counts, p)) if q == 0.0 and c > 0]
    if impossible:
        i = impossible[0]
        raise Fail(f"{what}: {show(i)} has probability 0 (it was removed) but was drawn {counts[i]} times in {n}",
                   case=case)
    big = [i for i, q in enumerate(p) if q * n >= MIN_EXPECTED]
    rest = [i for i, q in enumerate(p) if 0 < q * n < MIN_EXPECTED]
    observed = {i: counts[i] for i in big}
    expected = {i: p[i] for i in big}
    if rest:
        observed["rest"] = sum(counts[i] for i in rest)
        expected["rest"] = sum(p[i] for i in rest)
    if len(expected) < 2:
        return  # one category holds (nearly) everything: nothing to test beyond the zeros above
    total = sum(expected.values())
    stat, pvalue = chi_square(observed, {k: v / total for k, v in expected.items()})
    if pvalue < alpha:
        worst = sorted(big, key=lambda i: -abs(counts[i] / n - p[i]) / max(p[i], 1e-12) ** 0.5)[:3]
        raise Fail(f"{what} do not follow the expected distribution",
                   case=case,
                   expected=", ".join(f"{show(i)} {_pct(p[i])}" for i in worst),
                   got=", ".join(f"{show(i)} {_pct(counts[i] / n)}" for i in worst) + f" of {n} draws",
                   diff=f"chi-square = {stat:.1f} with {len(expected) - 1} degrees of freedom, p = {pvalue:.2g} "
                        f"(a correct sampler fails this with probability below {alpha:g})")


def assert_generator_discipline(draw: Callable[[torch.Generator | None], torch.Tensor], *, seed: int,
                                case: str = "") -> None:
    """``draw(generator)`` must take its randomness from ``generator`` only: the same seed gives
    the same draws under two different global seeds, the global RNG's state is left as it
    was, and a second call on the same generator draws anew."""
    def run(global_seed: int):
        torch.manual_seed(global_seed)
        gen = torch.Generator().manual_seed(seed)
        state = torch.get_rng_state()
        first = draw(gen)
        untouched = torch.equal(state, torch.get_rng_state())
        return first, draw(gen), untouched

    a1, a2, untouched = run(1)
    b1, _, _ = run(2)
    if not torch.equal(a1, b1):
        raise Fail("the same generator seed gave different draws when torch's global seed changed: draw only "
                   "from the `generator` you are given (pass generator=... to torch.multinomial / torch.rand)",
                   case=case, got=f"{a1.tolist()[:8]} vs {b1.tolist()[:8]}")
    if not untouched:
        raise Fail("your function consumed torch's global random state although a generator was given: draw "
                   "only from `generator`", case=case)
    if torch.equal(a1, a2):
        raise Fail("two calls with the same generator gave the same draws: the generator must advance (do not "
                   "re-seed it or copy its state)", case=case, got=str(a1.tolist()[:8]))
