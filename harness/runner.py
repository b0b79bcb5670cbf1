"""Run one grading in a child process and turn its event stream into a :class:`GradeResult`.

The parent never imports numpy or torch: the child does, once. The child runs in its own
session so that the parent can kill it (and anything it spawned) on timeout or Ctrl-C.
"""
from __future__ import annotations

import json
import math
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from .catalog import Kata

DEFAULT_SEED = 0
PACKAGE_PARENT = str(Path(__file__).resolve().parent.parent)


@dataclass
class CheckRow:
    name: str
    passed: bool
    status: str
    message: str = ""
    details: dict = field(default_factory=dict)


@dataclass
class GradeResult:
    kata: str
    file: str
    passed: bool
    status: str  # passed | failed | not_implemented | error | timeout | crashed
    checks: list[CheckRow]
    seed: int
    failing_case: dict | None = None
    error: dict | None = None
    elapsed: float | None = None  # seconds since `kata start`
    speed_ratio: float | None = None
    speed: dict | None = None
    output: str = ""
    output_chars: int = 0
    duration: float = 0.0  # seconds the grading took

    def to_json(self) -> dict[str, Any]:
        data = asdict(self)
        data["checks"] = [{"name": c.name, "passed": c.passed, "status": c.status, "message": c.message,
                           "seconds": c.details.get("seconds")} for c in self.checks]
        return data

    @property
    def first_failure(self) -> CheckRow | None:
        return next((c for c in self.checks if c.status not in ("passed", "skipped")), None)


class GradingInterrupted(Exception):
    """Ctrl-C while grading: the child was stopped, nothing was recorded."""


def _read_events(path: Path) -> list[dict]:
    events = []
    try:
        text = path.read_text(encoding="utf-8", errors="replace")
    except FileNotFoundError:
        return events
    for line in text.splitlines():
        try:
            events.append(json.loads(line))
        except json.JSONDecodeError:
            continue  # a line cut short by a kill
    return events


def memory_limit_mb() -> int:
    """Address-space cap of the grading child: half the machine's memory, at least 4 GiB
    (torch reserves address space generously), overridable with KATA_MEMORY_MB (0: none)."""
    if os.environ.get("KATA_MEMORY_MB"):
        return int(os.environ["KATA_MEMORY_MB"])
    try:
        total = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") // (1024 * 1024)
    except (ValueError, OSError, AttributeError):
        return 0
    return max(4096, total // 2)


def child_command(kata: Kata, attempt: Path, events: Path, seed: int, speed: bool,
                  timeout: float | None = None) -> list[str]:
    """The grading child's arguments (after ``python -m harness.engine.child``)."""
    args = ["--grader", str(kata.grader_path), "--solution", str(kata.solution_path), "--attempt", str(attempt),
            "--events", str(events), "--seed", str(seed), "--memory-mb", str(memory_limit_mb()),
            "--parent-pid", str(os.getpid()), "--framework", kata.framework]
    if timeout is not None:
        # A backstop of its own, should the parent vanish without killing it.
        args += ["--cpu-seconds", str(int(math.ceil(timeout)) + 5)]
    if not speed:
        args.append("--no-speed")
    return args


class _ColdRun:
    """The grading child as a fresh interpreter (the cold path)."""

    def __init__(self, argv: list[str], cwd: str, timeout: float):
        from .warm import child_env

        self.timeout = timeout
        self.timed_out = False
        self._stderr = b""
        self._started = time.monotonic()  # the time limit counts from here, adopted or not
        self.proc = subprocess.Popen([sys.executable, "-m", "harness.engine.child", *argv], cwd=cwd,
                                     env=child_env(), stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                                     stderr=subprocess.PIPE, start_new_session=True)
        self.pgid = self.proc.pid

    @property
    def returncode(self):
        return self.proc.returncode

    def wait(self) -> None:
        try:
            left = max(0.0, self.timeout - (time.monotonic() - self._started))
            _, self._stderr = self.proc.communicate(timeout=left)
        except subprocess.TimeoutExpired:
            self.timed_out = True
            self.kill()
        # Whatever the attempt started (forks, subprocesses) dies with its check.
        _kill_group_id(self.pgid)

    def kill(self) -> None:
        _kill_group_id(self.pgid)
        try:
            self.proc.wait(timeout=5)
        except subprocess.TimeoutExpired:
            pass

    def stderr(self) -> str:
        return (self._stderr or b"").decode(errors="replace")


def _kill_group_id(pgid: int) -> None:
    try:
        os.killpg(pgid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        pass


# Set by the test-suite (one warm grader per worker) to grade through it by default.
DEFAULT_WARM_SOCKET: Path | None = None


def _launch(argv: list[str], cwd: str, timeout: float, warm_socket: Path | None):
    path = warm_socket if warm_socket is not None else DEFAULT_WARM_SOCKET
    if path is not None:
        from .warm import Unavailable, WarmRun

        try:
            return WarmRun(Path(path), argv, cwd, Path(cwd) / "stderr.txt", timeout)
        except Unavailable:
            pass  # stale, stopped, other code or another Python: grade cold
    return _ColdRun(argv, cwd, timeout)


class _Terminated(Exception):
    pass


# A grading started by `kata check` before its own imports (harness/prelaunch.py), waiting to
# be adopted by the grade_kata call that asks for the same grading.
_early: dict | None = None


def _grading_key(kata: Kata, attempt: Path, seed: int | None, timeout: float | None, speed: bool) -> tuple:
    return (kata.name, str(Path(attempt).resolve()), DEFAULT_SEED if seed is None else seed,
            kata.timeout if timeout is None else timeout, speed)


def prelaunch(kata: Kata, attempt: Path, *, seed: int | None = None, timeout: float | None = None,
              speed: bool = True, warm_socket: Path | None = None) -> None:
    """Start grading ``attempt`` now; a later :func:`grade_kata` with the same kata, file, seed,
    timeout and speed adopts the run instead of starting one."""
    global _early
    import atexit

    _discard_early()
    key = _grading_key(kata, attempt, seed, timeout, speed)
    tmp = tempfile.mkdtemp(prefix="kata-grade-")
    launched = time.perf_counter()
    try:
        run = _launch(child_command(kata, Path(key[1]), Path(tmp) / "events.jsonl", key[2], speed, key[3]), tmp,
                      key[3], warm_socket)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    _early = {"key": key, "tmp": tmp, "run": run, "launched": launched}
    atexit.register(_discard_early)  # never adopted (a usage error, --help): stop it, remove its folder
    # Terminal closed or SIGTERM while the CLI is still importing: exit normally, so that the
    # exit handler above stops the run and removes its folder (the default action would not).
    if threading.current_thread() is threading.main_thread():
        for sig in (signal.SIGTERM, signal.SIGHUP):
            signal.signal(sig, _exit_on_signal)


def _exit_on_signal(signum, frame):
    raise SystemExit(128 + signum)


def _adopt(key: tuple) -> dict | None:
    """The early run when it is this grading; any other early run is stopped."""
    global _early
    early, _early = _early, None
    if early is None or early["key"] == key:
        return early
    early["run"].kill()
    shutil.rmtree(early["tmp"], ignore_errors=True)
    return None


def _discard_early() -> None:
    _adopt(())


def _raise_terminated(signum, frame):
    raise _Terminated()


def grade_kata(kata: Kata, attempt: Path, *, seed: int | None = None, timeout: float | None = None,
               speed: bool = True, elapsed: float | None = None, warm_socket: Path | None = None) -> GradeResult:
    """Grade ``attempt`` in a fresh child: forked by the warm grader listening on
    ``warm_socket`` when one answers with our code, else a new interpreter."""
    early = _adopt(_grading_key(kata, attempt, seed, timeout, speed))
    seed = DEFAULT_SEED if seed is None else seed
    timeout = kata.timeout if timeout is None else timeout
    attempt = Path(attempt).resolve()
    started = early["launched"] if early else time.perf_counter()
    # SIGTERM / SIGHUP (terminal closed) unwind like Ctrl-C: the child's group is killed and the
    # temporary folder removed, instead of leaving a child running with no one to stop it.
    previous = {}
    if threading.current_thread() is threading.main_thread():
        for sig in (signal.SIGTERM, signal.SIGHUP):
            previous[sig] = signal.signal(sig, _raise_terminated)
    tmp = early["tmp"] if early else None
    try:
        if early:
            run = early["run"]
        else:
            tmp = tempfile.mkdtemp(prefix="kata-grade-")
            run = _launch(child_command(kata, attempt, Path(tmp) / "events.jsonl", seed, speed, timeout), tmp,
                          timeout, warm_socket)
        try:
            run.wait()
        except KeyboardInterrupt:
            run.kill()
            raise GradingInterrupted() from None
        except _Terminated:
            run.kill()
            raise SystemExit(143) from None
        events = _read_events(Path(tmp) / "events.jsonl")
        stderr = run.stderr()
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
        if tmp is not None:
            shutil.rmtree(tmp, ignore_errors=True)
    result = build_result(kata, attempt, events, seed, run.timed_out, timeout, run.returncode, stderr)
    result.elapsed = elapsed
    result.duration = round(time.perf_counter() - started, 3)
    return result


def build_result(kata: Kata, attempt: Path, events: list[dict], seed: int, timed_out: bool, timeout: float,
                 returncode: int | None, stderr: str) -> GradeResult:
    rows: dict[str, CheckRow] = {}
    running: str | None = None
    load_error = internal = speed = None
    done = None
    for ev in events:
        kind = ev.get("event")
        if kind == "check_start":
            running = ev["name"]
        elif kind == "check":
            details = {k: v for k, v in ev.items() if k not in ("event", "name", "status", "message") and v is not None}
            rows[ev["name"]] = CheckRow(ev["name"], ev["status"] == "passed", ev["status"], ev.get("message", ""),
                                        details)
            if running == ev["name"]:
                running = None
        elif kind == "load_error":
            load_error = ev
        elif kind == "internal_error":
            internal = ev
        elif kind == "speed":
            speed = {k: v for k, v in ev.items() if k != "event"}
            running = None
        elif kind == "done":
            done = ev
    checks = list(rows.values())
    result = GradeResult(kata=kata.name, file=str(attempt), passed=False, status="failed", checks=checks, seed=seed)
    if done:
        result.output, result.output_chars = done.get("output", ""), done.get("output_chars", 0)
    if load_error:
        result.status = "error"
        result.error = {k: v for k, v in load_error.items() if k != "event"}
        return result
    if internal:
        result.status = "error"
        result.error = {"message": "the grader itself failed (a bug in kata, not in your code); "
                                   "rerun with KATA_DEBUG=1 and report it", "kind": "internal",
                        "traceback": internal.get("traceback") if os.environ.get("KATA_DEBUG") else None}
        return result
    if running is not None and running != "speed" or (running is None and not done and not speed):
        where = f" during the check “{running}”" if running else ""
        if timed_out:
            result.status = "timeout"
            message = (f"stopped after {timeout:g} s{where}: an infinite loop, or an algorithm of the wrong "
                       f"complexity? (`--timeout` raises the limit)")
        else:
            result.status = "crashed"
            code = returncode if returncode is not None else "?"
            if isinstance(code, int) and code < 0:
                how = f"was killed by signal {-code}"
            else:
                how = f"exited with code {code}"
            message = (f"the grading process {how}{where}: your code ended the process "
                       f"(os._exit, a crash in native code, or running out of memory)")
            if stderr.strip() and not events:
                message += f"\n{stderr.strip()[-800:]}"
        result.checks.append(CheckRow(running or "runs to completion", False, result.status, message))
        return result
    if running == "speed" and timed_out:
        speed = {"error": f"not measured: the time limit ({timeout:g} s) was reached while timing"}
    if speed:
        result.speed = speed
        result.speed_ratio = speed.get("ratio")
    statuses = {c.status for c in checks}
    if "not_implemented" in statuses:
        result.status = "not_implemented"
    elif checks and statuses <= {"passed"}:
        result.status, result.passed = "passed", True
    else:
        result.status = "failed"
    failure = result.first_failure
    if failure is not None:
        details = {k: v for k, v in failure.details.items() if k != "seconds"}
        result.failing_case = {"check": failure.name, "message": failure.message, **details}
    return result
