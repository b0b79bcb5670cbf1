"""The warm grader (harness/warm.py): the same verdict as a fresh process, nothing left running,
and a fall-back to the cold path whenever it cannot be trusted."""
import os
import signal
import stat
import subprocess
import sys
import textwrap
import threading
import time
from pathlib import Path

import pytest

from harness import catalog, runner, warm
from tests.helpers import CORPUS, REPO


@pytest.fixture
def server(tmp_path):
    state = tmp_path / ".kata"
    status = warm.start(state, idle=600)
    yield state, warm.socket_path(state), status
    warm.stop(state)


def comparable(result):
    data = result.to_json()
    data.pop("duration")
    data["checks"] = [{**c, "seconds": None} for c in data["checks"]]
    return data


def verdicts(result):
    return (result.status, result.passed, [(c.name, c.status) for c in result.checks],
            (result.failing_case or {}).get("check"))


@pytest.mark.parametrize("kata", ["softmax", "shuffle", "gqa"])
def test_corpus_verdicts_are_the_same_warm_and_cold(server, kata):
    _, sock, _ = server
    k = catalog.find(kata)
    files = sorted((CORPUS / kata).glob("*.py")) + [k.solution_path, k.stub_path]
    for path in files:
        cold = runner.grade_kata(k, path, speed=False, warm_socket=Path("/nonexistent/grader.sock"))
        hot = runner.grade_kata(k, path, speed=False, warm_socket=sock)
        if comparable(hot) != comparable(cold):
            # Only an attempt whose own output changes from run to run (one drawing from an
            # unseeded generator of its own) may differ, and then only in what it printed:
            # the verdict of every check is the same, and a second cold run differs too.
            again = runner.grade_kata(k, path, speed=False, warm_socket=Path("/nonexistent/grader.sock"))
            assert comparable(again) != comparable(cold), path.name
            assert verdicts(hot) == verdicts(cold), path.name
    assert warm.ping(sock)["checks"] == len(files)


def test_socket_is_owner_only(server):
    _, sock, _ = server
    assert stat.S_IMODE(sock.stat().st_mode) == 0o600


def test_a_stale_socket_file_falls_back_to_a_cold_grading(tmp_path):
    sock = tmp_path / "grader.sock"
    import socket as socketlib

    s = socketlib.socket(socketlib.AF_UNIX)
    s.bind(str(sock))
    s.close()  # the file stays, nobody listens
    k = catalog.find("softmax")
    assert runner.grade_kata(k, k.solution_path, speed=False, warm_socket=sock).passed


def test_a_server_running_other_code_is_refused_and_stops(server, monkeypatch):
    state, sock, _ = server
    monkeypatch.setattr(warm, "fingerprint", lambda: "edited since the server started")
    k = catalog.find("softmax")
    result = runner.grade_kata(k, k.solution_path, speed=False, warm_socket=sock)
    assert result.passed  # graded cold
    deadline = time.time() + 10
    while sock.exists() and time.time() < deadline:
        time.sleep(0.05)
    assert not sock.exists(), "a stale server must make way"


def _attempt(tmp_path, body):
    path = tmp_path / "attempt.py"
    path.write_text(textwrap.dedent(body))
    return path


def _alive(pid):
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    try:  # a zombie waiting for its reaper is not running
        return Path(f"/proc/{pid}/stat").read_text().split(")")[-1].split()[0] != "Z"
    except OSError:
        return True


SPAWNS = """
    import numpy as np, os, subprocess
    pid_file = {pid_file!r}

    def softmax(x, axis=-1):
        if not os.path.exists(pid_file):
            proc = subprocess.Popen(["sleep", "1000"])
            with open(pid_file, "w") as fh:
                fh.write(str(proc.pid))
        e = np.exp(x - x.max(axis=axis, keepdims=True))
        return e / e.sum(axis=axis, keepdims=True)
"""


FORKS = """
    import numpy as np, os, time
    pid_file = {pid_file!r}

    def softmax(x, axis=-1):
        if not os.path.exists(pid_file):
            pid = os.fork()
            if pid == 0:  # a looping copy of the grading process
                while True:
                    time.sleep(0.05)
            with open(pid_file, "w") as fh:
                fh.write(str(pid))
        e = np.exp(x - x.max(axis=axis, keepdims=True))
        return e / e.sum(axis=axis, keepdims=True)
"""


@pytest.mark.parametrize("body", [SPAWNS, FORKS], ids=["subprocess", "fork"])
@pytest.mark.parametrize("path_kind", ["cold", "warm"])
def test_nothing_the_attempt_started_outlives_its_check(server, tmp_path, path_kind, body):
    _, sock, _ = server
    pid_file = tmp_path / "pid"
    attempt = _attempt(tmp_path, body.format(pid_file=str(pid_file)))
    k = catalog.find("softmax")
    result = runner.grade_kata(k, attempt, speed=False,
                               warm_socket=sock if path_kind == "warm" else tmp_path / "none.sock")
    assert result.passed
    pid = int(pid_file.read_text())
    deadline = time.time() + 5
    while _alive(pid) and time.time() < deadline:
        time.sleep(0.05)
    assert not _alive(pid), "the attempt's subprocess is still running after its check"


def test_a_warm_timeout_stops_the_loop(server, tmp_path):
    _, sock, _ = server
    attempt = _attempt(tmp_path, """
        def softmax(x, axis=-1):
            while True:
                pass
    """)
    k = catalog.find("softmax")
    started = time.time()
    result = runner.grade_kata(k, attempt, speed=False, timeout=2, warm_socket=sock)
    assert result.status == "timeout"
    assert time.time() - started < 15


def test_a_server_killed_mid_check_still_gives_a_verdict(server, tmp_path):
    _, sock, status = server
    attempt = _attempt(tmp_path, """
        import time
        import numpy as np

        def softmax(x, axis=-1):
            time.sleep(0.2)
            e = np.exp(x - x.max(axis=axis, keepdims=True))
            return e / e.sum(axis=axis, keepdims=True)
    """)
    k = catalog.find("softmax")
    killer = threading.Timer(0.5, lambda: os.kill(status["pid"], signal.SIGKILL))
    killer.start()
    result = runner.grade_kata(k, attempt, speed=False, timeout=60, warm_socket=sock)
    killer.join()
    assert result.passed, (result.status, result.checks)
    # The next check finds no server and grades cold.
    assert runner.grade_kata(k, k.solution_path, speed=False, warm_socket=sock).passed


LOOP = """
    import pathlib, time

    def softmax(x, axis=-1):
        while True:
            pathlib.Path({marker!r}).write_text(str(time.time()))
            time.sleep(0.05)
"""


@pytest.mark.parametrize("sig", [signal.SIGKILL, signal.SIGTERM, signal.SIGHUP])
def test_killing_kata_itself_stops_the_grading_child(tmp_path, sig):
    """Terminal closed (SIGHUP), SIGTERM or kill -9 of `kata check`: the grading child dies too
    and, where kata can still act (not SIGKILL), its temporary folder is removed."""
    marker = tmp_path / "alive"
    attempt = _attempt(tmp_path, LOOP.format(marker=str(marker)))
    env = dict(os.environ, KATA_HOME=str(tmp_path / "ws"), TMPDIR=str(tmp_path))
    proc = subprocess.Popen([sys.executable, "-m", "harness", "check", "softmax", "--file", str(attempt),
                             "--timeout", "120"], cwd=REPO, env=env, stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL)
    deadline = time.time() + 60
    while not marker.exists() and time.time() < deadline:
        time.sleep(0.05)
    assert marker.exists(), "the attempt never ran"
    proc.send_signal(sig)
    proc.wait(timeout=20)
    time.sleep(1.0)
    stamp = marker.read_text()
    time.sleep(0.5)
    assert marker.read_text() == stamp, "the grading child kept running after kata was killed"
    if sig != signal.SIGKILL:
        assert not list(tmp_path.glob("kata-grade-*")), "the temporary folder was left behind"
