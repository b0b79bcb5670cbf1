"""The grading child: ``python -m harness.engine.child …``.

It runs the attempt and writes one JSON event per line to the events file, flushing after
each, so that whatever happens to this process (timeout, os._exit, a segfault) the parent
still knows which checks ran and which one was running. The attempt's prints are kept in
memory (bounded) and never reach the terminal.
"""
from __future__ import annotations

import argparse
import contextlib
import importlib.util
import io
import json
import os
import signal
import sys
import time
import traceback
from pathlib import Path

OUTPUT_KEEP = 4000
FORBIDDEN_ROW = "uses no forbidden calls"


class BoundedText(io.TextIOBase):
    """A stdout stand-in that keeps the first characters and counts the rest."""

    def __init__(self, keep: int = OUTPUT_KEEP):
        self.keep = keep
        self.parts: list[str] = []
        self.kept = 0
        self.total = 0

    def write(self, text) -> int:
        text = str(text)
        self.total += len(text)
        if self.kept < self.keep:
            piece = text[: self.keep - self.kept]
            self.parts.append(piece)
            self.kept += len(piece)
        return len(text)

    def writable(self) -> bool:
        return True

    def flush(self) -> None:
        pass

    def isatty(self) -> bool:
        return False

    @property
    def text(self) -> str:
        return "".join(self.parts)


class Events:
    def __init__(self, path: str):
        self.fh = open(path, "a", encoding="utf-8")

    def emit(self, **event) -> None:
        self.fh.write(json.dumps(event, default=str) + "\n")
        self.fh.flush()


def _load_module(path: Path, name: str):
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


def attempt_line(exc: BaseException, attempt_file: str) -> int | None:
    """The deepest line of the attempt in the exception's traceback."""
    line = None
    tb = exc.__traceback__
    while tb is not None:
        if tb.tb_frame.f_code.co_filename == attempt_file:
            line = tb.tb_lineno
        tb = tb.tb_next
    return line


def _raised_in_reference(exc: BaseException) -> bool:
    """The innermost frames of the traceback are the reference's (not the attempt's)."""
    tb, innermost = exc.__traceback__, None
    while tb is not None:
        if tb.tb_frame.f_globals.get("__name__") == "kata_reference":
            innermost = "reference"
        elif tb.tb_frame.f_globals.get("__name__") == "attempt":
            innermost = "attempt"
        tb = tb.tb_next
    return innermost == "reference"


def classify(exc: BaseException, attempt_file: str, source) -> dict:
    from .errors import Fail, ForbiddenCall

    if isinstance(exc, Fail):
        return {"status": "failed", **exc.to_dict()}
    if isinstance(exc, ForbiddenCall):
        return {"status": "failed", "message": f"your code called `{exc.name}`, which is forbidden in this kata"
                + (f" (line {exc.line})" if exc.line else ""), "line": exc.line,
                "source_line": source.line(exc.line), "forbidden": exc.name}
    line = attempt_line(exc, attempt_file)
    case = getattr(exc, "kata_case", None)
    if line is not None or isinstance(exc, SystemExit):
        if isinstance(exc, NotImplementedError):
            return {"status": "not_implemented", "message": "not implemented yet (the stub still raises "
                    "NotImplementedError)", "line": line}
        if isinstance(exc, SystemExit):
            message = f"your code called sys.exit({exc.code!r}); a graded function must return, not exit"
        else:
            text = str(exc).strip().splitlines()[0] if str(exc).strip() else ""
            message = f"your code raised {type(exc).__name__}" + (f": {text}" if text else "")
        out = {"status": "failed", "message": message, "line": line, "source_line": source.line(line)}
        if case:
            out["case"] = case
        return out
    detail = "".join(traceback.format_exception_only(type(exc), exc)).strip()
    if _raised_in_reference(exc):
        message = (f"the reference solution itself failed ({detail}): a bug in kata, not in your code; "
                   "rerun with KATA_DEBUG=1 and report it")
    else:
        message = (f"the grader could not use your result ({detail}); check the return type and shape "
                   "against the statement")
    out = {"status": "failed", "message": message, "internal": traceback.format_exc()
           if os.environ.get("KATA_DEBUG") else None}
    if case:
        out["case"] = case
    return out


STOP_AT_FIRST_FAILURE = os.environ.get("KATA_STOP_AT_FIRST_FAILURE") == "1"


def run(args) -> int:
    from . import attempt as attempt_mod
    from . import isolation
    from .forbidden import RuntimeGuard, scan_source

    events = Events(args.events)
    attempt_path = Path(args.attempt).resolve()
    attempt_file = str(attempt_path)
    from . import isolation as _isolation
    _isolation.ATTEMPT_FILE["path"] = attempt_file
    events.emit(event="start", pid=os.getpid(), seed=args.seed)

    grader_mod = _load_module(Path(args.grader), "kata_grader")
    grader = grader_mod.grader
    reference = _load_module(Path(args.solution), "kata_reference")

    try:
        source = attempt_mod.parse(attempt_path)
    except attempt_mod.LoadError as err:
        events.emit(event="load_error", message=err.message, line=err.line, source_line=err.source_line,
                    kind=err.kind)
        return 0

    guards_calls = bool(grader.forbidden or grader.forbid_half_power)
    static = scan_source(source.tree, grader.forbidden, grader.forbid_half_power) if guards_calls else []
    # What the source scan found, as both the load error and the check row report it.
    static_info = {"message": "; ".join(v.describe() for v in static[:3]), "line": static[0].line,
                   "source_line": source.line(static[0].line), "forbidden": static[0].name} if static else {}

    guard = RuntimeGuard(grader.forbidden, attempt_file)
    with _unimported(NOT_PRELOADED.get(args.framework, ())):
        guard.install()
    blocker = isolation.ProductImportBlocker()
    blocker.install()
    baseline = isolation.Baseline.capture(skip=() if args.framework == "torch" else ("torch",))
    # The reference's own entry points, for the speed report (see timing.measure).
    plain_reference = {name: getattr(reference, name) for name in grader.entries if hasattr(reference, name)}
    isolation.isolate_reference(reference, grader.entries, baseline)
    # The engine, grader and reference were compiled once and cached; the attempt and whatever
    # it imports are not (nothing of the user's is written next to their files).
    sys.dont_write_bytecode = True
    try:
        try:
            attempt = attempt_mod.execute(source, "attempt")
            baseline.check_untouched("when your file was imported")
        except BaseException as exc:  # noqa: BLE001 - the attempt's top level may do anything
            if static:  # e.g. a forbidden import that failed: the forbidden call is the real news
                events.emit(event="load_error", kind="forbidden", **static_info)
                return 0
            info = classify(exc, attempt_file, source)
            events.emit(event="load_error", message="your file failed while being imported: " + info["message"],
                        line=info.get("line"), source_line=info.get("source_line"), kind="import")
            return 0
        try:
            attempt_mod.check_entry_points(source, attempt, reference, grader.entries)
        except attempt_mod.LoadError as err:
            events.emit(event="load_error", message=err.message, line=err.line, source_line=err.source_line,
                        kind=err.kind)
            return 0

        from .grader import Context

        if guards_calls:
            events.emit(event="check", name=FORBIDDEN_ROW, status="failed" if static else "passed", **static_info)

        all_passed = not static
        stopped = False
        for check in grader.checks:
            if stopped:
                events.emit(event="check", name=check.name, status="skipped")
                continue
            events.emit(event="check_start", name=check.name)
            ctx = Context(grader, attempt, reference, grader.check_seed(args.seed, check.name), check.name)
            started = time.perf_counter()
            baseline.restore()  # whatever an earlier check's calls changed
            try:
                check.run(ctx)
                baseline.check_untouched("while it ran")
                info = {"status": "passed"}
            except BaseException as exc:  # noqa: BLE001
                if isinstance(exc, KeyboardInterrupt) and attempt_line(exc, attempt_file) is None:
                    raise
                info = classify(exc, attempt_file, source)
            info["seconds"] = round(time.perf_counter() - started, 4)
            events.emit(event="check", name=check.name, **info)
            if info["status"] != "passed":
                all_passed = False
            # The mutation probe needs one failing check per mutant, not the whole report.
            if info["status"] == "not_implemented" or (info["status"] != "passed" and STOP_AT_FIRST_FAILURE):
                stopped = True

        if guard.hits and not static and guards_calls:
            hit = guard.hits[0]
            events.emit(event="check", name=FORBIDDEN_ROW, status="failed",
                        message=f"your code called `{hit.name}`, which is forbidden in this kata (line {hit.line})",
                        line=hit.line, source_line=source.line(hit.line), forbidden=hit.name)
            all_passed = False

        if all_passed and args.speed and grader.speed_spec is not None:
            from .timing import measure

            ctx = Context(grader, attempt, reference, grader.check_seed(args.seed, "speed"), "speed")
            events.emit(event="check_start", name="speed")
            baseline.restore()
            try:
                events.emit(event="speed", **measure(grader, ctx, plain_reference))
            except BaseException as exc:  # noqa: BLE001 - speed is a report, never a verdict
                events.emit(event="speed", error=classify(exc, attempt_file, source)["message"])
    finally:
        blocker.uninstall()
        guard.uninstall()
    return 0


# What a fresh child of each framework has not imported when the guard is installed.
NOT_PRELOADED = {"python": ("torch", "numpy", "scipy"), "numpy": ("torch", "scipy")}


@contextlib.contextmanager
def _unimported(names):
    """Hide modules the warm grader preloaded but this kata's child would not have imported,
    while the guard looks for what it can patch: a numpy kata is guarded as in a fresh process
    (its forbidden `torch` blocked at import), not by wrapping every function of torch."""
    hidden = {key: sys.modules.pop(key) for key in list(sys.modules)
              if any(key == n or key.startswith(n + ".") for n in names)}
    try:
        yield
    finally:
        sys.modules.update(hidden)


def die_with_parent(parent_pid: int) -> None:
    """A grading child must not outlive the `kata` that started it (terminal closed, kill -9):
    on Linux the kernel sends SIGKILL when the parent dies. Elsewhere the CPU backstop holds."""
    if parent_pid <= 0 or not sys.platform.startswith("linux"):
        return
    try:
        import ctypes

        PR_SET_PDEATHSIG = 1
        ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGKILL)
    except (OSError, AttributeError):
        return
    if os.getppid() != parent_pid:  # the parent died before the request took effect
        os._exit(1)


def limit_cpu(seconds: int) -> None:
    """A hard CPU-time limit as a backstop to the parent's wall-clock timeout."""
    if seconds <= 0:
        return
    try:
        import resource

        soft, hard = resource.getrlimit(resource.RLIMIT_CPU)
        if hard != resource.RLIM_INFINITY:
            seconds = min(seconds, hard)
        resource.setrlimit(resource.RLIMIT_CPU, (seconds, hard))
    except (ImportError, ValueError, OSError):
        pass


def limit_memory(megabytes: int) -> None:
    """Cap the address space, so a runaway allocation is a MemoryError in the attempt (a clear
    verdict) instead of the machine swapping or the kernel killing something else."""
    if megabytes <= 0:
        return
    try:
        import resource

        soft, hard = resource.getrlimit(resource.RLIMIT_AS)
        want = megabytes * 1024 * 1024
        if hard != resource.RLIM_INFINITY:
            want = min(want, hard)
        resource.setrlimit(resource.RLIMIT_AS, (want, hard))
    except (ImportError, ValueError, OSError):
        pass  # not available here (e.g. Windows): the time limit still bounds the attempt


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="harness.engine.child")
    parser.add_argument("--grader", required=True)
    parser.add_argument("--solution", required=True)
    parser.add_argument("--attempt", required=True)
    parser.add_argument("--events", required=True)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--no-speed", dest="speed", action="store_false")
    parser.add_argument("--memory-mb", type=int, default=0, help="address-space limit (0: none)")
    parser.add_argument("--framework", default="torch", help="the kata's framework (python, numpy, torch)")
    parser.add_argument("--parent-pid", type=int, default=0, help="die when this process does")
    parser.add_argument("--cpu-seconds", type=int, default=0, help="CPU-time backstop (0: none)")
    args = parser.parse_args(argv)
    die_with_parent(args.parent_pid)
    limit_cpu(args.cpu_seconds)
    limit_memory(args.memory_mb)

    # The attempt's output must neither flood the terminal nor interleave with ours:
    # Python-level writes go to a bounded buffer, fd-level writes to /dev/null.
    captured = BoundedText()
    real_stderr = sys.stderr
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, 1)
    os.dup2(devnull, 2)
    sys.stdout = captured
    sys.stderr = captured
    sys.stdin = io.StringIO("")
    code = 0
    try:
        code = run(args)
    except BaseException:  # noqa: BLE001 - an engine bug: report it as such
        Events(args.events).emit(event="internal_error", traceback=traceback.format_exc())
        code = 3
    finally:
        try:
            Events(args.events).emit(event="done", output=captured.text, output_chars=captured.total)
        except Exception:
            pass
    del real_stderr
    return code


if __name__ == "__main__":
    # os._exit: a thread the attempt left running must not keep the child alive.
    os._exit(main())
