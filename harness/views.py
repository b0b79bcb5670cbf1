"""Rich views: the mock scorecard and status panel, practice stats, what to do next."""
from __future__ import annotations

import time

from rich.console import Group
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from .render import fmt_duration

SPARKS = "▁▂▃▄▅▆▇█"


def sparkline(values: list[float]) -> str:
    """Solve times as a sparkline (lower is better, so a falling line is progress)."""
    if not values:
        return ""
    lo, hi = min(values), max(values)
    span = hi - lo or 1.0
    return "".join(SPARKS[min(len(SPARKS) - 1, int((v - lo) / span * (len(SPARKS) - 1) + 0.5))] for v in values)


def bar(fraction: float, width: int = 20) -> str:
    fraction = max(0.0, min(1.0, fraction))
    full = int(fraction * width)
    part = " ▏▎▍▌▋▊▉"[int((fraction * width - full) * 8)] if full < width else ""
    return ("█" * full + part).ljust(width)


def clock_text(seconds: float) -> str:
    seconds = max(0, int(seconds))
    return f"{seconds // 60:02d}:{seconds % 60:02d}"


def mock_status(mock, now: float, states: dict[str, str]) -> Panel:
    left = mock.time_left(now)
    style = "green" if left > 600 else "yellow" if left > 120 else "bold red"
    table = Table.grid(padding=(0, 2))
    for i, name in enumerate(mock.katas):
        marker = "▶" if i == mock.current else " "
        state = states.get(name, "not checked")
        colour = {"passed": "green", "failed": "red", "not_implemented": "dim"}.get(state, "yellow")
        table.add_row(marker, f"{i + 1}. {name}", f"[{colour}]{state}[/]", str(mock.path(name)))
    head = Text.assemble(("⏱ ", ""), (clock_text(left), style), (" left of ", "dim"),
                         (f"{mock.row['minutes']:g} min", "dim"))
    # As wide as its content (the files' paths), not the whole line.
    return Panel(Group(head, table), title=f"mock interview #{mock.id}", title_align="left", border_style=style,
                 expand=False)


def scorecard(card: dict) -> Group:
    when = time.strftime("%Y-%m-%d %H:%M", time.localtime(card["started_at"]))
    table = Table(title=f"Scorecard · mock interview #{card['mock']} · {when}", title_justify="left",
                  title_style="bold", show_edge=False, caption="pts: 100 for a clean pass within par, 60–100 when slower, −10 a hint, "
                  "0 after a reveal", caption_justify="left")
    for col, numeric in (("kata", False), ("result", False), ("first pass / par", False), ("checks", True),
                         ("hints", True), ("rev", True), ("pts", True)):
        table.add_column(col, justify="right" if numeric else "left", no_wrap=True,
                         min_width=len(col) if col != "kata" else 8, overflow="ellipsis")
    short_status = {"not_implemented": "stub", "failed": "fail"}
    for row in card["katas"]:
        status = "stub" if row.get("attempted") is False else short_status.get(row["status"], row["status"])
        result = "[green]✓ pass[/]" if row["passed"] else f"[red]✗ {status}[/]"
        t = row["first_pass_seconds"]
        over = t is not None and t > row["par_minutes"] * 60
        timing = f"{fmt_duration(t) if t else '—'} / {row['par_minutes']}m"
        table.add_row(row["kata"], result, f"[yellow]{timing}[/]" if over else timing, str(row["checks"]),
                      str(row["hints"]), str(row["reveals"]), f"[bold]{row['points']}[/]")
    used = card["ended_at"] - card["started_at"]
    summary = Text.assemble((f"Score {card['score']:g}/100", "bold"), "  ", (card["verdict"], "bold cyan"))
    foot = Text(f"{fmt_duration(used)} used of {card['minutes']:g} min · {card['reason']}", style="dim")
    return Group(table, summary, foot)


def _kata_table(title: str, rows: list) -> Table:
    table = Table(title=title, title_justify="left", show_edge=False)
    for col in ("kata", "attempts", "passes", "best", "last", "hints", "reveals", "trend"):
        table.add_column(col, justify="right" if col in ("attempts", "passes", "hints", "reveals") else "left")
    for st in rows:
        table.add_row(st.kata, str(st.attempts), str(st.passes), fmt_duration(st.best_seconds),
                      fmt_duration(st.last_seconds), str(st.hints), str(st.reveals), sparkline(st.solve_times))
    return table


def stats_view(rows: list, tag_coverage: dict[str, tuple[int, int]], mock_rows: list = ()) -> Group:
    """Practice and mock interviews in tables of their own (a mock pass is not a practice
    time), then coverage by tag (a pass in either counts)."""
    parts = [_kata_table("practice (your workspace attempts)", rows)] if rows or not mock_rows else []
    if mock_rows:
        parts += [Text()] * bool(parts) + [_kata_table("mock interviews (attempts are mocks)", mock_rows)]
    cov = Table(title="coverage by tag (katas passed in practice or a mock / katas)", title_justify="left",
                show_edge=False, show_header=False)
    cov.add_column("tag")
    cov.add_column("bar")
    cov.add_column("n", justify="right")
    for tag, (passed, total) in sorted(tag_coverage.items(), key=lambda kv: (-kv[1][1], kv[0])):
        cov.add_row(tag, f"[green]{bar(passed / total if total else 0)}[/]", f"{passed}/{total}")
    return Group(*parts, Text(), cov)
