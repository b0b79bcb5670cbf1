"""Randomness sources: hold an attempt to the one generator its contract names.

"Draw only from ``rng``" and "use the ``random`` module" are promises about *where* the
randomness comes from, which no statistical test sees: an attempt that draws from
``np.random``, reseeds ``random``, or builds its own generator can be perfectly uniform.
The checks here seed every *other* generator differently, require the same result, and
require those generators' states untouched by the call; for the ``random`` module they also
require that another seed of ``random`` changes the result (no reseeding inside).
"""
from __future__ import annotations

import random
import sys
from typing import Any, Callable

from .errors import Fail
from .show import short

# What a candidate calls each global generator, for the messages.
LABELS = {"random": "`random` module", "numpy": "`np.random` (numpy's global generator)",
          "torch": "torch's global generator"}


def _available() -> list[str]:
    """The global generators that exist in this process (torch only when already imported)."""
    return ["random"] + [name for name in ("numpy", "torch") if name in sys.modules]


def seed_global(name: str, seed: int) -> None:
    if name == "random":
        random.seed(seed)
    elif name == "numpy":
        sys.modules["numpy"].random.seed(seed % 2**32)
    elif name == "torch":
        sys.modules["torch"].manual_seed(seed)


def global_state(name: str):
    if name == "random":
        return random.getstate()
    if name == "numpy":
        return sys.modules["numpy"].random.get_state()  # ('MT19937', keys, pos, has_gauss, cached)
    return sys.modules["torch"].random.get_rng_state()


def _same_state(name: str, a, b) -> bool:
    if name == "random":
        return a == b
    if name == "numpy":
        np = sys.modules["numpy"]
        return all(np.array_equal(x, y) for x, y in zip(a, b))
    return bool(sys.modules["torch"].equal(a, b))


def same_value(a: Any, b: Any) -> bool:
    """Equality that also works for numpy arrays and floats (nan equal to nan)."""
    np = sys.modules.get("numpy")
    if isinstance(a, (tuple, list)) and isinstance(b, (tuple, list)):
        return type(a) is type(b) and len(a) == len(b) and all(same_value(x, y) for x, y in zip(a, b))
    if isinstance(a, dict) and isinstance(b, dict):
        return a.keys() == b.keys() and all(same_value(a[k], b[k]) for k in a)
    if np is not None and (isinstance(a, np.ndarray) or isinstance(b, np.ndarray)):
        return np.array_equal(np.asarray(a), np.asarray(b), equal_nan=True)
    if isinstance(a, float) and isinstance(b, float) and a != a and b != b:
        return True
    try:
        return bool(a == b)
    except Exception:
        return a is b


def _untouched(run: Callable[[], Any], others: list[str], seed: int, *, source_text: str, case: str):
    """Run once with every generator in ``others`` seeded from ``seed``; fail when one moved."""
    for i, name in enumerate(others):
        seed_global(name, seed * 7919 + i)
    before = {name: global_state(name) for name in others}
    out = run()
    for name in others:
        if not _same_state(name, before[name], global_state(name)):
            raise Fail(f"your function used the {LABELS[name]} (its state changed during the call): "
                       f"draw every random number from {source_text}", case=case)
    return out


def assert_draws_only_from_argument(run: Callable[[], Any], *, case: str, argument: str = "rng",
                                    show: Callable[[Any], str] = short, results_word: str = "results") -> None:
    """``run()`` calls the attempt with a fresh generator argument, seeded the same way each time.

    Passes when every global generator (``random``, ``np.random``, torch's) is left untouched
    and the result does not depend on how they are seeded.
    """
    source_text = f"the `{argument}` argument"
    others = _available()
    first = _untouched(run, others, 101, source_text=source_text, case=case)
    second = _untouched(run, others, 202, source_text=source_text, case=case)
    if not same_value(first, second):
        raise Fail(f"with the same seed of `{argument}` your function returned two different {results_word}: "
                   f"draw every random number from {source_text} (not np.random, random, or a generator of "
                   "your own)", case=case, got=f"{show(first)}, then {show(second)}")


def assert_draws_from_random_module(run: Callable[[], Any], *, seed: int, case: str,
                                    show: Callable[[Any], str] = short) -> None:
    """``run()`` calls the attempt once; it must draw from the ``random`` module's functions.

    With ``random`` seeded alike and the other generators seeded differently, the result must
    be the same and the other generators untouched; another seed of ``random`` must change it
    (so ``run`` must have many possible results: e.g. 20 items to shuffle).
    """
    source_text = "the `random` module's functions (random.randrange, random.random, …)"
    others = [name for name in _available() if name != "random"]
    results = []
    for other_seed in (303, 404):
        random.seed(seed)
        results.append(_untouched(run, others, other_seed, source_text=source_text, case=case))
    if not same_value(results[0], results[1]):
        raise Fail("with `random` seeded the same way your function returned two different results: draw from "
                   "the `random` module's functions (not random.Random(), random.SystemRandom, os.urandom "
                   "or secrets), so that seeding `random` makes a run reproducible", case=case,
                   got=f"{show(results[0])}, then {show(results[1])}")
    random.seed(seed + 1)
    before = random.getstate()
    other = run()
    if same_value(other, results[0]):
        raise Fail("your function returned the same result whatever the seed of `random`: do not reseed "
                   "`random` (or a generator of your own) inside the function; draw from the module as the "
                   "caller seeded it", case=case, got=show(other))
    if random.getstate() == before:
        raise Fail("your function never drew from the `random` module (its state did not change): use its "
                   "functions (random.randrange, random.random, …), so that seeding `random` makes a run "
                   "reproducible", case=case)
