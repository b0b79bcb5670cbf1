import os
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))


@pytest.fixture
def kata_home(tmp_path, monkeypatch):
    """An empty workspace selected through KATA_HOME."""
    home = tmp_path / "ws"
    monkeypatch.setenv("KATA_HOME", str(home))
    return home


@pytest.fixture(scope="session", autouse=True)
def warm_grader(tmp_path_factory):
    """One warm grader per test worker: gradings called in-process (the reference, stub and
    corpus tests) fork from it instead of importing torch each time. The CLI tests grade cold,
    since their workspaces have no server; tests/test_warm.py compares the two paths.
    KATA_TEST_COLD=1 runs everything cold."""
    from harness import runner, warm

    if os.environ.get("KATA_TEST_COLD") == "1":
        yield None
        return
    state = tmp_path_factory.mktemp("warm") / ".kata"
    try:
        warm.start(state, idle=3 * 3600)
    except warm.Unavailable:
        yield None
        return
    runner.DEFAULT_WARM_SOCKET = warm.socket_path(state)
    try:
        yield runner.DEFAULT_WARM_SOCKET
    finally:
        runner.DEFAULT_WARM_SOCKET = None
        warm.stop(state)
