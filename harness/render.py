"""Human output of a grading result (Rich), and its plain-text form for tests and pipes."""
from __future__ import annotations

from typing import TYPE_CHECKING

from rich.console import Console, Group
from rich.markup import escape
from rich.panel import Panel
from rich.text import Text

if TYPE_CHECKING:  # the runner is imported by those that grade, not by `kata show`
    from .runner import GradeResult

MARK = {"passed": ("✓", "green"), "skipped": ("·", "dim"), "not_run": ("·", "dim")}
LABEL_WIDTH = 10  # "expected: " and its kin; continuation lines are indented as much


def print_markdown(console: Console, text: str, style: str = "") -> None:
    """Markdown rendered in a terminal; in a pipe the text exactly as written, so that no line,
    path or command is cut or wrapped at the pipe's nominal 80 columns."""
    if console.is_terminal:
        from rich.markdown import Markdown

        console.print(Markdown(text), style=style)
    else:
        console.print(text.rstrip("\n"), markup=False, highlight=False, emoji=False)


PIPE_WIDTH = 400  # a table in a pipe is as wide as its content (never more than this)


def print_wide(console: Console, renderable) -> None:
    """A table or panel: at the terminal's width in a terminal; in a pipe as wide as its
    content, so that no path, command or title is cut or wrapped at a nominal 80 columns
    (``Console.print(width=)`` can only narrow)."""
    if console.is_terminal:
        console.print(renderable)
    else:
        Console(file=console.file, width=PIPE_WIDTH, soft_wrap=True, no_color=console.no_color).print(renderable)


def fmt_duration(seconds: float | None) -> str:
    if seconds is None:
        return "—"
    seconds = int(round(seconds))
    h, rem = divmod(seconds, 3600)
    m, s = divmod(rem, 60)
    return f"{h}h{m:02d}m{s:02d}s" if h else f"{m}m{s:02d}s" if m else f"{s}s"


def _labelled(label: str, value) -> Text:
    """``label: value`` with every further line of the value under its first one."""
    t = Text(f"{label + ':':{LABEL_WIDTH - 1}} ", style="bold cyan")
    t.append(("\n" + " " * LABEL_WIDTH).join(aligned_lines(str(value))))
    return t


def aligned_lines(text: str) -> list[str]:
    """A rendered value's lines, the continuation rows of each array under its first row: the
    engine prints an array's body as if it began the line (``array([[1, 2],\n [3, 4]])``)."""
    out: list[str] = []
    offset = 0
    for i, line in enumerate(text.split("\n")):
        if i and line.startswith(" "):
            line = " " * offset + line
        out.append(line)
        opened = max(line.rfind("array("), line.rfind("tensor("))
        if opened >= 0:
            offset = opened + line[opened:].index("(") + 1
    return out


def _indented(text: Text, n: int) -> Text:
    return Text("\n").join(Text(" " * n) + line for line in text.split("\n", allow_blank=True))


def result_renderables(result: GradeResult, kata_title: str = "", *, watching: bool = False,
                       boxed: bool = True) -> list:
    """The report. ``watching``: `kata watch` (a save re-checks); ``boxed``: the failure in a
    panel (a terminal), else as plain indented lines (a pipe: nothing wrapped at 80 columns)."""
    again = "save the file to check it again" if watching else "run the check again"
    out: list = []
    name = result.kata
    if result.status == "error" and result.error:
        err = result.error
        lines = [Text(f"✗ {name}: cannot grade {result.file}", style="bold red"), Text(err.get("message", ""))]
        if err.get("line"):
            lines.append(Text(f"  line {err['line']}: {err.get('source_line') or ''}", style="yellow"))
        if err.get("kind") == "syntax":
            lines.append(Text(f"Fix the syntax error and {again}."))
        if err.get("traceback"):
            lines.append(Text(err["traceback"], style="dim"))
        out.append(Group(*lines))
        return out
    for row in result.checks:
        mark, style = MARK.get(row.status, ("✗", "red"))
        line = Text(f" {mark} ", style=style)
        line.append(row.name, style="dim" if row.status in ("skipped", "not_run") else "")
        if row.status == "not_run":
            line.append(" (not run)", style="dim")
        out.append(line)
    failure = result.first_failure
    if result.status == "not_implemented":
        out.append(Text(f"\nNot implemented yet: replace `raise NotImplementedError` in {result.file} "
                        f"and {again}.", style="yellow"))
    elif failure is not None:
        body = [Text(failure.message, style="bold")]
        d = failure.details
        if d.get("line"):
            body.append(Text(f"line {d['line']}: {d.get('source_line') or ''}", style="yellow"))
        for label, key in (("input", "case"), ("expected", "expected"), ("got", "got")):
            if d.get(key):
                body.append(_labelled(label, d[key]))
        if d.get("diff"):
            body.append(Text(str(d["diff"])))
        if d.get("internal"):  # KATA_DEBUG=1: the grader's own traceback, for maintainers
            body.append(Text(str(d["internal"]), style="dim"))
        if boxed:
            out.append(Panel(Group(*body), title=f"✗ {escape(failure.name)}", title_align="left", border_style="red"))
        else:
            out.append(Text(f"\n✗ {failure.name}", style="bold red"))
            out.extend(_indented(item, 2) for item in body)
    if result.output_chars:
        more = f" (first {len(result.output)} of {result.output_chars} characters)" if result.output_chars > len(
            result.output) else ""
        shown = result.output if len(result.output) < 600 else result.output[:600] + "…"
        out.append(Text(f"Your code printed or warned{more}:\n{shown.rstrip()}", style="dim"))
    summary = Text()
    if result.passed:
        summary.append(f"\n✓ {name} passed", style="bold green")
    elif result.status != "not_implemented":
        n_bad = sum(1 for c in result.checks if c.status not in ("passed", "skipped", "not_run"))
        n_not_run = sum(1 for c in result.checks if c.status == "not_run")
        summary.append(f"\n✗ {name}: {n_bad} of {len(result.checks)} checks failed"
                       + (f", {n_not_run} not run" if n_not_run else ""), style="bold red")
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


def print_result(console: Console, result: GradeResult, watching: bool = False) -> None:
    for item in result_renderables(result, watching=watching, boxed=console.is_terminal):
        console.print(item)


def plain_text(result: GradeResult) -> str:
    console = Console(width=120, no_color=True, record=True, file=open("/dev/null", "w"), force_terminal=False)
    print_result(console, result)
    return console.export_text()
