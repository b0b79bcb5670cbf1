"""Run one grading in a child process and turn its event stream into a :class:`GradeResult`.

The parent never imports numpy or torch: the child does, once. The child runs in its own
session so that the parent can kill it (and anything it spawned) on timeout or Ctrl-C.
"""
from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import tempfile
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


def _kill_group(proc: subprocess.Popen) -> None:
    try:
        os.killpg(proc.pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        pass
    try:
        proc.wait(timeout=5)
    except subprocess.TimeoutExpired:
        pass


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


def child_command(kata: Kata, attempt: Path, events: Path, seed: int, speed: bool) -> list[str]:
    cmd = [sys.executable, "-m", "harness.engine.child", "--grader", str(kata.grader_path),
           "--solution", str(kata.solution_path), "--attempt", str(attempt), "--events", str(events),
           "--seed", str(seed), "--memory-mb", str(memory_limit_mb())]
    if not speed:
        cmd.append("--no-speed")
    return cmd


def grade_kata(kata: Kata, attempt: Path, *, seed: int | None = None, timeout: float | None = None,
               speed: bool = True, elapsed: float | None = None) -> GradeResult:
    seed = DEFAULT_SEED if seed is None else seed
    timeout = kata.timeout if timeout is None else timeout
    attempt = Path(attempt).resolve()
    started = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="kata-grade-") as tmp:
        events_path = Path(tmp) / "events.jsonl"
        env = dict(os.environ)
        env["PYTHONPATH"] = PACKAGE_PARENT + (os.pathsep + env["PYTHONPATH"] if env.get("PYTHONPATH") else "")
        env["PYTHONDONTWRITEBYTECODE"] = "1"
        env.setdefault("PYTHONHASHSEED", "0")
        # Graded inputs are small: extra BLAS/OpenMP threads only contend (several times
        # slower on a busy 2-core machine), and one thread makes timings comparable.
        env.setdefault("OMP_NUM_THREADS", "1")
        proc = subprocess.Popen(child_command(kata, attempt, events_path, seed, speed), cwd=tmp, env=env,
                                stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                                start_new_session=True)
        timed_out = False
        try:
            try:
                _, stderr = proc.communicate(timeout=timeout)
            except subprocess.TimeoutExpired:
                timed_out = True
                _kill_group(proc)
                stderr = b""
        except KeyboardInterrupt:
            _kill_group(proc)
            raise GradingInterrupted() from None
        events = _read_events(events_path)
    result = build_result(kata, attempt, events, seed, timed_out, timeout, proc.returncode,
                          (stderr or b"").decode(errors="replace"))
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
