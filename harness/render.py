"""Human output of a grading result (Rich), and its plain-text form for tests and pipes."""
from __future__ import annotations

from rich.console import Console, Group
from rich.markup import escape
from rich.panel import Panel
from rich.text import Text

from .runner import GradeResult

MARK = {"passed": ("✓", "green"), "skipped": ("·", "dim")}


def fmt_duration(seconds: float | None) -> str:
    if seconds is None:
        return "—"
    seconds = int(round(seconds))
    h, rem = divmod(seconds, 3600)
    m, s = divmod(rem, 60)
    return f"{h}h{m:02d}m{s:02d}s" if h else f"{m}m{s:02d}s" if m else f"{s}s"


def result_renderables(result: GradeResult, kata_title: str = "") -> list:
    out: list = []
    name = result.kata
    if result.status == "error" and result.error:
        err = result.error
        lines = [Text(f"✗ {name}: cannot grade {result.file}", style="bold red"), Text(err.get("message", ""))]
        if err.get("line"):
            lines.append(Text(f"  line {err['line']}: {err.get('source_line') or ''}", style="yellow"))
        if err.get("kind") == "syntax":
            lines.append(Text("Fix the syntax error and run the check again."))
        if err.get("traceback"):
            lines.append(Text(err["traceback"], style="dim"))
        out.append(Group(*lines))
        return out
    for row in result.checks:
        mark, style = MARK.get(row.status, ("✗", "red"))
        line = Text(f" {mark} ", style=style)
        line.append(row.name, style="dim" if row.status == "skipped" else "")
        out.append(line)
    failure = result.first_failure
    if result.status == "not_implemented":
        out.append(Text(f"\nNot implemented yet: replace `raise NotImplementedError` in {result.file} "
                        f"and run the check again.", style="yellow"))
    elif failure is not None:
        body = [Text(failure.message, style="bold")]
        d = failure.details
        if d.get("line"):
            body.append(Text(f"line {d['line']}: {d.get('source_line') or ''}", style="yellow"))
        for label, key in (("input", "case"), ("expected", "expected"), ("got", "got")):
            if d.get(key):
                t = Text(f"{label + ':':9} ", style="bold cyan")
                t.append(str(d[key]))
                body.append(t)
        if d.get("diff"):
            body.append(Text(str(d["diff"])))
        if d.get("internal"):  # KATA_DEBUG=1: the grader's own traceback, for maintainers
            body.append(Text(str(d["internal"]), style="dim"))
        out.append(Panel(Group(*body), title=f"✗ {escape(failure.name)}", title_align="left", border_style="red"))
    if result.output_chars:
        more = f" (first {len(result.output)} of {result.output_chars} characters)" if result.output_chars > len(
            result.output) else ""
        shown = result.output if len(result.output) < 600 else result.output[:600] + "…"
        out.append(Text(f"Your code printed or warned{more}:\n{shown.rstrip()}", style="dim"))
    summary = Text()
    if result.passed:
        summary.append(f"\n✓ {name} passed", style="bold green")
    elif result.status != "not_implemented":
        n_bad = sum(1 for c in result.checks if c.status not in ("passed", "skipped"))
        summary.append(f"\n✗ {name}: {n_bad} of {len(result.checks)} checks failed", style="bold red")
    else:
        summary.append(f"\n✗ {name}: not implemented yet", style="bold yellow")
    extras = []
    if result.elapsed is not None:
        extras.append(f"time since start {fmt_duration(result.elapsed)}")
    if result.speed and result.speed.get("ratio") is not None:
        ratio = result.speed["ratio"]
        if 1 / 1.2 < ratio < 1.2:  # within timing noise
            extras.append(f"speed on {result.speed.get('label')}: about as fast as the reference")
        else:
            word = "faster" if ratio < 1 else "slower"
            factor = 1 / ratio if ratio < 1 else ratio
            extras.append(f"speed on {result.speed.get('label')}: {factor:.1f}× {word} than the reference")
    extras.append(f"seed {result.seed}")
    summary.append("  (" + "; ".join(extras) + ")", style="dim")
    out.append(summary)
    if result.speed and (result.speed.get("warning") or result.speed.get("error")):
        out.append(Text(f"note: speed {result.speed.get('warning') or result.speed.get('error')}", style="yellow"))
    return out


def print_result(console: Console, result: GradeResult) -> None:
    for item in result_renderables(result):
        console.print(item)


def plain_text(result: GradeResult) -> str:
    console = Console(width=120, no_color=True, record=True, file=open("/dev/null", "w"), force_terminal=False)
    print_result(console, result)
    return console.export_text()
