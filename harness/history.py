"""What the event log says about a kata: attempt cycles, reviews for the scheduler, stats.

A cycle is one go at a kata: in practice it begins with `start` (a new attempt), `start
--fresh` or `reset`; in a mock interview every kata of the mock is one cycle. The first pass
of a cycle is a review (its quality depends on hints, reveals and time against par); a
reveal before any pass is a review too, and so is a mock that ends with the kata unpassed.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from .progress import Event
from .schedule import Review, quality

NEW_CYCLE = ("fresh", "reset")


@dataclass
class Cycle:
    kata: str
    started: float
    mock: int | None = None
    checks: int = 0
    hints: int = 0
    revealed_before_pass: bool = False
    reveals: int = 0
    pass_seconds: float | None = None
    passed_at: float | None = None
    ended_at: float | None = None  # mocks: when the mock finished

    @property
    def passed(self) -> bool:
        return self.passed_at is not None


def cycles(events: list[Event], mock_ends: dict[int, float] | None = None) -> list[Cycle]:
    """Split one kata's events (in time order) into cycles."""
    mock_ends = mock_ends or {}
    practice: Cycle | None = None
    by_mock: dict[int, Cycle] = {}
    out: list[Cycle] = []
    for ev in events:
        mock = ev.data.get("mock")
        if mock is not None:
            cyc = by_mock.get(mock)
            if cyc is None:
                cyc = by_mock[mock] = Cycle(ev.kata, ev.data.get("mock_started", ev.ts), mock=mock,
                                            ended_at=mock_ends.get(mock))
                out.append(cyc)
        else:
            new = ev.kind in NEW_CYCLE or (ev.kind == "start" and ev.data.get("new_attempt"))
            if practice is None or new:
                practice = Cycle(ev.kata, ev.ts)
                out.append(practice)
            cyc = practice
        if ev.kind == "check":
            cyc.checks += 1
        elif ev.kind == "hint" and not cyc.passed:
            cyc.hints += 1
        elif ev.kind == "reveal":
            cyc.reveals += 1
            if not cyc.passed:
                cyc.revealed_before_pass = True
        elif ev.kind == "pass" and not cyc.passed:
            cyc.passed_at = ev.ts
            # A pass recorded without a start (a check of a kata never started) has no solve
            # time: None, not 0. Old events without the key fall back to the cycle's start.
            if "seconds" in ev.data:
                cyc.pass_seconds = ev.data["seconds"]
            else:
                cyc.pass_seconds = ev.ts - cyc.started
    return out


def reviews(kata_cycles: list[Cycle], par_minutes: float) -> list[Review]:
    out = []
    for cyc in kata_cycles:
        if cyc.passed:
            q, why = quality(True, cyc.hints, cyc.revealed_before_pass, cyc.pass_seconds, par_minutes)
            out.append(Review(cyc.passed_at, q, why))
        elif cyc.revealed_before_pass:
            q, why = quality(False, cyc.hints, True, None, par_minutes)
            out.append(Review(cyc.started, q, why))
        elif cyc.mock is not None and cyc.ended_at is not None:
            out.append(Review(cyc.ended_at, 2, "failed in a mock interview"))
    return out


@dataclass
class KataStats:
    kata: str
    attempts: int = 0
    passes: int = 0
    checks: int = 0
    hints: int = 0
    reveals: int = 0
    best_seconds: float | None = None
    last_seconds: float | None = None
    solve_times: list[float] = field(default_factory=list)


def stats(kata: str, kata_cycles: list[Cycle]) -> KataStats:
    st = KataStats(kata, attempts=len(kata_cycles))
    for cyc in kata_cycles:
        st.checks += cyc.checks
        st.hints += cyc.hints
        st.reveals += cyc.reveals
        if cyc.passed:
            st.passes += 1
            if cyc.pass_seconds is not None:
                st.solve_times.append(cyc.pass_seconds)
                st.last_seconds = cyc.pass_seconds
                st.best_seconds = cyc.pass_seconds if st.best_seconds is None else min(st.best_seconds, cyc.pass_seconds)
    return st
