"""Timed mock interviews: choosing katas, the session's files and clock, the scorecard.

The clock is wall-clock time stored in the database (the mock's start and length), so a
closed terminal or Ctrl-C loses nothing: the next command sees the right time left. Mock
attempts live in a folder of their own, so practice attempts are never touched. All time
comes from a ``now`` argument: tests never sleep.
"""
from __future__ import annotations

import math
import random
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from . import history
from .catalog import Kata, all_katas, find
from .progress import Progress
from .schedule import replay
from .workspace import Workspace, create_exclusive

VERDICTS = ((85, "Strong hire"), (65, "Hire"), (40, "Lean no hire"), (0, "No hire yet"))
MAX_MINUTES = 24 * 60
SEED_RANGE = 2**63  # SQLite's integers: a seed is stored with the mock


class MockError(Exception):
    """A user-facing problem (nothing to choose from, no active mock…)."""


@dataclass
class Mock:
    row: dict

    @property
    def id(self) -> int:
        return self.row["id"]

    @property
    def katas(self) -> list[str]:
        return self.row["katas"]

    @property
    def folder(self) -> Path:
        return Path(self.row["folder"])

    @property
    def current(self) -> int:
        return self.row["current"]

    def deadline(self) -> float:
        return self.row["started_at"] + self.row["minutes"] * 60

    def time_left(self, now: float) -> float:
        return max(0.0, self.deadline() - now)

    def expired(self, now: float) -> bool:
        return now >= self.deadline()

    def path(self, kata: str) -> Path:
        return self.folder / f"{kata}.py"


def due_order(progress: Progress, candidates: list[Kata], now: float) -> dict[str, int]:
    """0: never passed, 1: due for review, 2: the rest (the mock favours the first groups)."""
    by_kata: dict[str, list] = {}
    for ev in progress.events():
        by_kata.setdefault(ev.kata, []).append(ev)
    ends = {m["id"]: m["finished_at"] for m in progress.mocks() if m["finished_at"]}
    order = {}
    for kata in candidates:
        cycles = history.cycles(by_kata.get(kata.name, []), ends)
        if not any(c.passed for c in cycles):
            order[kata.name] = 0
            continue
        card = replay(kata.name, history.reviews(cycles, kata.par_minutes))
        order[kata.name] = 1 if card.due is not None and card.due <= now else 2
    return order


def pick(progress: Progress, count: int, tag: str | None, difficulty: str | None, seed: int, now: float) -> list[Kata]:
    candidates = [k for k in all_katas() if (not tag or tag in k.tags) and (not difficulty or k.difficulty == difficulty)]
    if not candidates:
        raise MockError("No kata matches those filters" + (f" (tag {tag!r})" if tag else "") +
                        (f" (difficulty {difficulty!r})" if difficulty else "") + ".")
    order = due_order(progress, candidates, now)
    rng = random.Random(seed)
    keyed = [(order[k.name], rng.random(), k) for k in candidates]
    keyed.sort(key=lambda item: (item[0], item[1]))
    return [k for _, _, k in keyed[:count]]


def chosen_by_name(names: list[str]) -> list[Kata]:
    """An explicit list (`kata mock --kata softmax --kata gqa`): in that order, each kata once."""
    from .catalog import UnknownKata, find

    chosen: list[Kata] = []
    for name in names:
        try:
            kata = find(name)
        except UnknownKata as exc:
            raise MockError(str(exc)) from None
        if kata not in chosen:
            chosen.append(kata)
    return chosen


def start(ws: Workspace, progress: Progress, now: float, minutes: float = 45, count: int = 3,
          tag: str | None = None, difficulty: str | None = None, seed: int | None = None,
          katas: list[str] | None = None) -> Mock:
    if progress.active_mock():
        raise MockError("A mock interview is already running: `kata mock` resumes it, `kata mock finish` ends it.")
    # Everything is checked before anything is written: a refused mock leaves no folder.
    if not (math.isfinite(minutes) and 0 < minutes <= MAX_MINUTES):
        raise MockError(f"--minutes must be a number of minutes above 0 and at most {MAX_MINUTES}, not {minutes:g}.")
    if count <= 0:
        raise MockError(f"--count must be at least 1, not {count}.")
    if seed is not None and not -SEED_RANGE <= seed < SEED_RANGE:
        raise MockError(f"--seed must be a whole number between -2**63 and 2**63 - 1, not {seed}.")
    seed = int(now) if seed is None else seed
    chosen = chosen_by_name(katas) if katas else pick(progress, count, tag, difficulty, seed, now)
    stamp = time.strftime("%Y%m%d-%H%M%S", time.localtime(now))
    folder = ws.root / "mocks" / stamp
    n = 1
    while folder.exists():
        folder = ws.root / "mocks" / f"{stamp}-{n}"
        n += 1
    folder.mkdir(parents=True)
    for kata in chosen:
        create_exclusive(folder / f"{kata.name}.py", kata.stub_path.read_text(encoding="utf-8"))
    mock_id = progress.create_mock(now, minutes, seed, str(folder), [k.name for k in chosen])
    for kata in chosen:
        progress.record(kata.name, "start", {"mock": mock_id, "mock_started": now,
                                             "file": str(folder / f"{kata.name}.py")}, ts=now)
    return Mock(progress.mock(mock_id))


def _attempted(kata: Kata, path: Path) -> bool:
    """The mock's copy differs from the stub (whatever its grading says: a stub can time out)."""
    try:
        return path.read_bytes() != kata.stub_path.read_bytes()
    except OSError:
        return False


def _untouched(row: dict) -> bool:
    # Scorecards saved before "attempted" existed: a stub or a missing file.
    return not row["passed"] and not row.get("attempted", row["status"] not in ("not_implemented", "missing"))


def active(progress: Progress) -> Mock | None:
    row = progress.active_mock()
    return Mock(row) if row else None


def points(passed: bool, revealed: bool, hints: int, seconds: float | None, par_minutes: float) -> int:
    """100 for a clean pass within par; slower passes earn 60–100; each hint costs 10; a reveal
    or a failure earns 0."""
    if not passed or revealed:
        return 0
    speed = 1.0 if not seconds else min(1.0, par_minutes * 60 / seconds)
    return max(10, round(60 + 40 * speed - 10 * hints))


def verdict(score: float, rows: list[dict] = ()) -> str:
    """The verdict and what it rests on, read from the scorecard's rows (never a cause that
    did not happen: an untouched kata is "not attempted", not "too slow")."""
    label = next(text for threshold, text in VERDICTS if score >= threshold)
    causes = []

    def names(pick) -> str:
        return ", ".join(r["kata"] for r in rows if pick(r))

    for what, pick in (
            ("not attempted", _untouched),
            ("failed", lambda r: not r["passed"] and not _untouched(r)),
            ("solution revealed", lambda r: r["reveals"] > 0),
            ("hints taken", lambda r: r["passed"] and r["hints"] > 0 and not r["reveals"]),
            ("passed over par", lambda r: r["passed"] and r["first_pass_seconds"] is not None
             and r["first_pass_seconds"] > r["par_minutes"] * 60)):
        found = names(pick)
        if found:
            causes.append(f"{what}: {found}")
    if not causes:
        return f"{label}: fast, clean and correct." if rows else f"{label}."
    return f"{label}: " + "; ".join(causes) + "."


def finish(ws: Workspace, progress: Progress, mock: Mock, now: float,
           grade: Callable[[Kata, Path], object], reason: str = "finished") -> dict:
    """Grade every kata once more, store and return the scorecard (only once, even when two
    terminals finish the same mock)."""
    end = min(now, mock.deadline())
    # Every kata is graded before anything is written: Ctrl-C while grading records nothing.
    results = {name: grade(find(name), mock.path(name)) if mock.path(name).exists() else None
               for name in mock.katas}
    rows = []
    for name in mock.katas:
        kata = find(name)
        result = results[name]
        events = [e for e in progress.events(name) if e.data.get("mock") == mock.id]
        cyc = history.cycles(events)
        cycle = cyc[0] if cyc else history.Cycle(name, mock.row["started_at"], mock=mock.id)
        passed = bool(result is not None and getattr(result, "passed", False))
        first_pass = cycle.pass_seconds
        if passed and first_pass is None:
            first_pass = end - mock.row["started_at"]
            progress.record(name, "pass", {"mock": mock.id, "seconds": first_pass, "final": True}, ts=end)
        pts = points(passed, cycle.revealed_before_pass or cycle.reveals > 0, cycle.hints, first_pass,
                     kata.par_minutes)
        rows.append({"kata": name, "title": kata.title, "passed": passed,
                     "attempted": _attempted(kata, mock.path(name)),
                     "status": getattr(result, "status", "missing"), "first_pass_seconds": first_pass if passed else None,
                     "par_minutes": kata.par_minutes, "checks": cycle.checks, "hints": cycle.hints,
                     "reveals": cycle.reveals, "points": pts})
    score = round(sum(r["points"] for r in rows) / len(rows), 1) if rows else 0.0
    card = {"mock": mock.id, "started_at": mock.row["started_at"], "minutes": mock.row["minutes"],
            "ended_at": end, "reason": reason, "katas": rows, "score": score, "verdict": verdict(score, rows)}
    if not progress.finish_mock(mock.id, end, card):
        return progress.mock(mock.id)["scorecard"]
    return card
