"""Spaced repetition (SM-2 style): what to practise today, and why.

Every graded outcome of a kata is a review with a quality q from 0 to 5:
  5  passed clean: no hint, no reveal, within par time
  4  passed clean but slower than par
  3  passed with hints
  1  revealed before passing
SM-2 then updates the kata's easiness factor EF (starting at 2.5, never below 1.3) and its
interval: 1 day after the first good review, 6 after the second, then the last interval × EF.
A review with q < 3 resets the repetition count, so the kata is due again tomorrow.
Katas never reviewed are "new"; they come after the overdue ones, easiest first.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Iterable

DAY = 86400.0
DIFFICULTY_ORDER = {"easy": 0, "medium": 1, "hard": 2}


@dataclass
class Review:
    ts: float
    quality: int
    why: str


@dataclass
class CardState:
    kata: str
    repetitions: int = 0
    easiness: float = 2.5
    interval_days: float = 0.0
    due: float | None = None  # None: never reviewed
    last: Review | None = None
    history: list[Review] = field(default_factory=list)


def quality(passed: bool, hints: int, revealed: bool, seconds: float | None, par_minutes: float) -> tuple[int, str]:
    if revealed and not passed:
        return 1, "you revealed the solution"
    if not passed:
        return 2, "not passed yet"
    if revealed:
        return 2, "passed after revealing the solution"
    if hints:
        return 3, f"passed with {hints} hint{'s' * (hints != 1)}"
    if seconds is not None and seconds > par_minutes * 60:
        return 4, f"passed in {seconds / 60:.0f} min, over the par of {par_minutes:g}"
    return 5, "clean pass"


def review(card: CardState, rev: Review) -> CardState:
    q = rev.quality
    card.easiness = max(1.3, card.easiness + 0.1 - (5 - q) * (0.08 + (5 - q) * 0.02))
    if q < 3:
        card.repetitions = 0
        card.interval_days = 1.0
    else:
        card.repetitions += 1
        if card.repetitions == 1:
            card.interval_days = 1.0
        elif card.repetitions == 2:
            card.interval_days = 6.0
        else:
            card.interval_days = round(card.interval_days * card.easiness, 1)
    card.due = rev.ts + card.interval_days * DAY
    card.last = rev
    card.history.append(rev)
    return card


def replay(kata: str, reviews: Iterable[Review]) -> CardState:
    card = CardState(kata)
    for rev in sorted(reviews, key=lambda r: r.ts):
        review(card, rev)
    return card


@dataclass
class Suggestion:
    kata: str
    reason: str
    due: float | None
    overdue_days: float


def plan(cards: dict[str, CardState], difficulties: dict[str, str], now: float, limit: int = 5) -> list[Suggestion]:
    """Overdue and due katas first (most overdue first), then new ones (easiest first)."""
    due, new = [], []
    for name, card in cards.items():
        if card.due is None:
            new.append(name)
        elif card.due <= now:
            overdue = (now - card.due) / DAY
            last = card.last
            reason = (f"due {'today' if overdue < 1 else f'{overdue:.0f} day(s) ago'}: last time "
                      f"{last.why}; next gap {card.interval_days:g} day(s)")
            due.append(Suggestion(name, reason, card.due, overdue))
    due.sort(key=lambda s: (-s.overdue_days, s.kata))
    new.sort(key=lambda k: (DIFFICULTY_ORDER.get(difficulties.get(k, "medium"), 1), k))
    out = due[:limit]
    for name in new[: max(0, limit - len(out))]:
        out.append(Suggestion(name, f"new: never passed ({difficulties.get(name, 'medium')})", None, 0.0))
    return out
