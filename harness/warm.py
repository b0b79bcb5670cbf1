"""The warm grader: a long-lived process that has imported numpy, torch and the engine once and
forks one fresh, isolated grading child per check.

Importing torch costs about as much as a whole check; a fork of a process that has already
imported it costs milliseconds. The forked child runs exactly the code of the cold path
(`harness.engine.child.main`) in its own session, with the same time limit, memory cap and
event stream, so a verdict is the same warm or cold. The server has run no torch op when it
forks (forking after torch has started its thread pools is unsafe), and it grades only with the
code it was started with: a client whose `harness` files differ (an upgrade, an edit, another
checkout) or whose Python differs is refused and grades cold.

Protocol (one JSON line each way, over a Unix socket in ``<workspace>/.kata/``, owner-only):
  client → {"op": "grade", "fingerprint": F, "argv": [...], "cwd": DIR, "stderr": FILE, "timeout": S}
  server → {"pgid": P}            once the child runs (the client may kill that group itself)
  server → {"returncode": R, "timed_out": B}   when it ended
A per-check supervisor (the session leader of the check's process group) waits for the child,
enforces the time limit, answers, then kills the whole group: nothing the attempt started
outlives its check. If the client goes away (Ctrl-C, terminal closed) the supervisor kills
the group at once.
"""
from __future__ import annotations

import hashlib
import json
import os
import select
import signal
import socket
import sys
import time
from pathlib import Path

SOCKET_NAME = "grader.sock"
LOG_NAME = "grader.log"
IDLE_SECONDS = 15 * 60
PROTOCOL = 1
_MAX_SOCKET_PATH = 100  # sun_path holds 108 bytes on Linux, 104 on macOS
PACKAGE_DIR = Path(__file__).resolve().parent


def socket_path(state_dir: Path) -> Path:
    return Path(state_dir) / SOCKET_NAME


def fingerprint() -> str:
    """What the server's code is: the Python running it and every file of the `harness` package
    (path, size, mtime). Graders and references are read from disk by each check, so they are
    never stale; the engine modules the server imported could be."""
    digest = hashlib.sha1(f"{PROTOCOL}|{sys.executable}|{sys.version}".encode())
    for path in sorted(PACKAGE_DIR.rglob("*.py")):
        if "_katas" in path.parts or "_solutions" in path.parts:
            continue
        try:
            st = path.stat()
        except OSError:
            continue
        digest.update(f"{path}|{st.st_size}|{st.st_mtime_ns}".encode())
    return digest.hexdigest()


# --------------------------------------------------------------------------- client
class Unavailable(Exception):
    """No usable warm grader: grade cold."""


def _connect(path: Path, timeout: float = 2.0) -> socket.socket:
    if len(os.fsencode(path)) > _MAX_SOCKET_PATH or not path.exists():
        raise Unavailable("no socket")
    sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    sock.settimeout(timeout)
    try:
        sock.connect(os.fspath(path))
    except OSError as exc:
        sock.close()
        raise Unavailable(str(exc)) from None
    return sock


def _read_line(sock: socket.socket, buffer: bytearray) -> dict:
    while b"\n" not in buffer:
        chunk = sock.recv(65536)
        if not chunk:
            raise ConnectionError("the warm grader closed the connection")
        buffer += chunk
    line, _, rest = bytes(buffer).partition(b"\n")
    buffer[:] = rest
    return json.loads(line)


def ping(path: Path, timeout: float = 2.0) -> dict:
    """The server's status, or Unavailable."""
    try:
        with _connect(path, timeout) as sock:
            sock.sendall(json.dumps({"op": "ping"}).encode() + b"\n")
            return _read_line(sock, bytearray())
    except (OSError, ValueError, ConnectionError) as exc:
        raise Unavailable(str(exc)) from None


class WarmRun:
    """One check running in the warm grader; the same surface the runner uses for a Popen."""

    def __init__(self, path: Path, argv: list[str], cwd: str, stderr_path: Path, timeout: float):
        self.stderr_path = stderr_path
        self.returncode: int | None = None
        self.timed_out = False
        self._buffer = bytearray()
        sock = _connect(path)
        try:
            sock.sendall(json.dumps({"op": "grade", "fingerprint": fingerprint(), "argv": argv, "cwd": cwd,
                                     "stderr": str(stderr_path), "timeout": timeout}).encode() + b"\n")
            first = _read_line(sock, self._buffer)
        except (OSError, ValueError, ConnectionError) as exc:
            sock.close()
            raise Unavailable(str(exc)) from None
        if "pgid" not in first:
            sock.close()
            raise Unavailable(first.get("error", "refused"))
        self.pgid = int(first["pgid"])
        self._sock = sock
        self._timeout = timeout

    def wait(self) -> None:
        """Until the check ends; the supervisor enforces the time limit (plus a margin here in
        case the server itself is stopped)."""
        try:
            self._sock.settimeout(self._timeout + 10)
            answer = _read_line(self._sock, self._buffer)
            self.returncode = answer.get("returncode")
            self.timed_out = bool(answer.get("timed_out"))
        except (OSError, ValueError, ConnectionError):
            self.kill()
            self.timed_out = True
        finally:
            self._sock.close()

    def kill(self) -> None:
        try:
            os.killpg(self.pgid, signal.SIGKILL)
        except (ProcessLookupError, PermissionError):
            pass
        self._sock.close()

    def stderr(self) -> str:
        try:
            return self.stderr_path.read_text(errors="replace")
        except OSError:
            return ""


# --------------------------------------------------------------------------- server
def _preload() -> None:
    """Import what every check imports, without running a torch op."""
    import numpy  # noqa: F401

    from .engine import (attempt, child, compare, errors, forbidden, gen, grader, isolation, show,  # noqa: F401
                         stats, timing)
    try:
        import torch  # noqa: F401
    except ImportError:
        return


def _supervise(conn: socket.socket, request: dict) -> None:
    """Runs in a forked process that leads the check's session: fork the grading child, report,
    and kill the whole group (the child and anything it started) when done."""
    os.setsid()
    timeout = float(request["timeout"])
    child = os.fork()
    if child == 0:
        conn.close()
        _run_child(request)
    conn.sendall(json.dumps({"pgid": os.getpgrp()}).encode() + b"\n")
    deadline = time.monotonic() + timeout
    returncode, timed_out = None, False
    # A pidfd becomes readable the moment the child ends: the answer goes out at once, with no
    # polling interval added to every check. Without one (not Linux ≥ 5.3), poll every 20 ms.
    exited = _pidfd(child)
    while True:
        pid, status = os.waitpid(child, os.WNOHANG)
        if pid:
            returncode = os.waitstatus_to_exitcode(status)
            break
        left = deadline - time.monotonic()
        if left <= 0:
            timed_out = True
            os.kill(child, signal.SIGKILL)
            os.waitpid(child, 0)
            break
        waitables = [conn] if exited is None else [conn, exited]
        readable, _, _ = select.select(waitables, [], [], left if exited is not None else min(left, 0.02))
        if conn in readable and not conn.recv(1, socket.MSG_PEEK):  # the client went away
            break
    try:
        conn.sendall(json.dumps({"returncode": returncode, "timed_out": timed_out}).encode() + b"\n")
    except OSError:
        pass
    os.killpg(0, signal.SIGKILL)  # the attempt's forks and subprocesses, and this supervisor


def _pidfd(pid: int) -> int | None:
    try:
        return os.pidfd_open(pid)
    except (AttributeError, OSError):
        return None


def _run_child(request: dict) -> None:
    try:
        os.chdir(request["cwd"])
        devnull = os.open(os.devnull, os.O_RDWR)
        err = os.open(request["stderr"], os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        os.dup2(devnull, 0)
        os.dup2(devnull, 1)
        os.dup2(err, 2)
        signal.signal(signal.SIGTERM, signal.SIG_DFL)
        signal.signal(signal.SIGCHLD, signal.SIG_DFL)
        from .engine import child

        argv = list(request["argv"])
        if "--parent-pid" in argv:  # our parent is the supervisor, not the client
            argv[argv.index("--parent-pid") + 1] = str(os.getppid())
        signal.signal(signal.SIGINT, signal.default_int_handler)
        code = child.main(argv)
    except BaseException:  # noqa: BLE001 - whatever happens, this process ends here
        code = 3
    os._exit(code)


def serve(path: Path, idle: float = IDLE_SECONDS) -> int:
    _preload()
    mine = fingerprint()
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        path.unlink()
    except FileNotFoundError:
        pass
    old_umask = os.umask(0o177)
    listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    try:
        listener.bind(os.fspath(path))
    finally:
        os.umask(old_umask)
    os.chmod(path, 0o600)
    listener.listen(16)
    started, checks, last = time.time(), 0, time.monotonic()
    running = True

    def stop(*_):
        nonlocal running
        running = False

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    try:
        while running and time.monotonic() - last < idle:
            _reap()
            try:
                readable, _, _ = select.select([listener], [], [], 1.0)
            except InterruptedError:
                continue
            if not readable:
                continue
            conn, _ = listener.accept()
            last = time.monotonic()
            try:
                conn.settimeout(5)
                request = _read_line(conn, bytearray())
            except (OSError, ValueError, ConnectionError):
                conn.close()
                continue
            if request.get("op") == "ping":
                _answer(conn, {"pid": os.getpid(), "python": sys.executable, "started": started, "checks": checks,
                               "fingerprint": mine, "idle_timeout": idle})
            elif request.get("op") == "stop":
                _answer(conn, {"stopping": True})
                running = False
            elif request.get("op") == "grade":
                if request.get("fingerprint") != mine:
                    # Our code is not the client's: refuse, and make way for a fresh server.
                    _answer(conn, {"error": "stale: the warm grader runs other code than this kata"})
                    running = False
                    continue
                checks += 1
                if os.fork() == 0:
                    listener.close()
                    try:
                        _supervise(conn, request)
                    finally:
                        os._exit(0)
                conn.close()
            else:
                _answer(conn, {"error": "unknown request"})
    finally:
        listener.close()
        try:
            if path.exists() and path.is_socket():
                path.unlink()
        except OSError:
            pass
    return 0


def _answer(conn: socket.socket, data: dict) -> None:
    try:
        conn.sendall(json.dumps(data).encode() + b"\n")
    except OSError:
        pass
    conn.close()


def _reap() -> None:
    while True:
        try:
            pid, _ = os.waitpid(-1, os.WNOHANG)
        except ChildProcessError:
            return
        if pid == 0:
            return


# --------------------------------------------------------------------------- start / stop
def child_env() -> dict:
    """The environment of every grading process, warm or cold: hash seed fixed (it cannot be
    changed after start-up, so the warm server must start with it), one BLAS thread. Bytecode
    is cached as usual (the engine, graders and references compile once, not at every check);
    the child turns that off before it runs the attempt, so nothing of the user's is cached."""
    from .runner import PACKAGE_PARENT

    env = dict(os.environ)
    env["PYTHONPATH"] = PACKAGE_PARENT + (os.pathsep + env["PYTHONPATH"] if env.get("PYTHONPATH") else "")
    env.setdefault("PYTHONHASHSEED", "0")
    # Graded inputs are small: extra BLAS/OpenMP threads only contend (several times slower on
    # a busy 2-core machine), and one thread makes timings comparable.
    env.setdefault("OMP_NUM_THREADS", "1")
    return env


def start(state_dir: Path, idle: float = IDLE_SECONDS, wait: float = 60.0) -> dict:
    """Start a server for this workspace unless a current one answers; return its status once
    it is ready (``wait`` 0: at once). Raises Unavailable when it cannot start."""
    import subprocess

    path = socket_path(state_dir)
    if len(os.fsencode(path)) > _MAX_SOCKET_PATH:
        raise Unavailable(f"the workspace path is too long for a local socket ({path})")
    try:
        status = ping(path)
        if status.get("fingerprint") == fingerprint():
            return status
        stop(state_dir)
    except Unavailable:
        pass
    state_dir.mkdir(parents=True, exist_ok=True)
    with open(state_dir / LOG_NAME, "ab") as log:
        proc = subprocess.Popen([sys.executable, "-m", "harness.warm", "--socket", str(path), "--idle", str(idle)],
                                env=child_env(), stdin=subprocess.DEVNULL, stdout=log, stderr=log,
                                start_new_session=True)
    if wait <= 0:  # started in the background: checks go cold until it answers
        return {"pid": proc.pid, "starting": True}
    deadline = time.monotonic() + wait
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise Unavailable(f"the warm grader exited at start (code {proc.returncode}); see {state_dir / LOG_NAME}")
        try:
            return ping(path)
        except Unavailable:
            time.sleep(0.05)
    proc.kill()
    raise Unavailable(f"the warm grader did not get ready in {wait:g} s")


def stop(state_dir: Path) -> bool:
    """Ask the server to stop; True if one was running."""
    path = socket_path(state_dir)
    try:
        with _connect(path) as sock:
            sock.sendall(json.dumps({"op": "stop"}).encode() + b"\n")
            _read_line(sock, bytearray())
    except (Unavailable, OSError, ValueError, ConnectionError):
        if path.exists() and path.is_socket():  # stale: nobody listens
            try:
                path.unlink()
            except OSError:
                pass
        return False
    deadline = time.monotonic() + 5
    while path.exists() and time.monotonic() < deadline:
        time.sleep(0.02)
    return True


def main(argv: list[str] | None = None) -> int:
    import argparse

    parser = argparse.ArgumentParser(prog="harness.warm")
    parser.add_argument("--socket", required=True)
    parser.add_argument("--idle", type=float, default=IDLE_SECONDS)
    args = parser.parse_args(argv)
    return serve(Path(args.socket), args.idle)


if __name__ == "__main__":
    sys.exit(main())
