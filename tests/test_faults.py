"""Fault injection: progress is never moved aside for a transient error, a verdict is always
shown, and bad input gets one clear paragraph (exit 2), never a traceback."""
import os
import random
import sqlite3

import pytest
from typer.testing import CliRunner

from harness import progress as progress_mod
from harness.cli import app
from harness.progress import Progress
from tests.helpers import SOLUTIONS

runner = CliRunner()


def kata(*args):
    return runner.invoke(app, list(args))


def moved_aside(home):
    return sorted(p.name for p in (home / ".kata").glob("progress.db.unreadable-*") if not p.name.endswith(("-wal", "-shm")))


@pytest.fixture
def filled(kata_home):
    """A healthy progress file with history in it."""
    kata("start", "softmax")
    db = Progress(kata_home / ".kata" / "progress.db")
    with db.transaction(db.conn) as conn:
        conn.executemany("INSERT INTO events (ts, kata, kind, data) VALUES (?, 'softmax', 'hint', ?)",
                         [(1.7e9 + i, f'{{"number": {i}}}') for i in range(3000)])
    db.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")  # the pages in the file itself, not only in the WAL
    db.conn.close()
    return kata_home


def test_a_locked_database_is_waited_for_then_reported_and_never_moved(filled, monkeypatch):
    monkeypatch.setattr(progress_mod, "BUSY_SECONDS", 0.3)
    path = filled / ".kata" / "progress.db"
    holder = sqlite3.connect(path, isolation_level=None)
    holder.execute("BEGIN EXCLUSIVE")
    try:
        result = kata("start", "mse")  # a write: readers are never blocked in WAL mode
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert result.exit_code == 1, result.output
    assert "locked" in result.output and "Nothing was moved" in result.output
    assert "Traceback" not in result.output
    assert moved_aside(filled) == []
    assert len(Progress(path).events("softmax", ["hint"])) == 3000  # all history still there


def _failing_connect(code, message):
    def connect(self):
        exc = sqlite3.OperationalError(message)
        exc.sqlite_errorcode = code
        raise exc
    return connect


@pytest.mark.parametrize("code, message, words", [
    (13, "database or disk is full", "disk is full"),
    (8, "attempt to write a readonly database", "read-only"),
    (14, "unable to open database file", "permissions"),
    (5, "database is locked", "locked"),
])
def test_transient_errors_at_open_move_nothing(filled, monkeypatch, code, message, words):
    monkeypatch.setattr(Progress, "_connect", _failing_connect(code, message))
    for _ in range(2):  # a second command must not move another file either
        result = kata("list")
        assert result.exit_code == 1
        assert words in result.output and str(filled / ".kata" / "progress.db") in result.output
        assert "Traceback" not in result.output
    assert moved_aside(filled) == []


def test_damaged_inner_pages_are_detected_and_moved_aside(filled):
    path = filled / ".kata" / "progress.db"
    size = path.stat().st_size
    assert size > 64 * 1024
    with open(path, "r+b") as fh:  # the header stays intact
        fh.seek(size // 2)
        fh.write(random.Random(0).randbytes(8192))
    result = kata("list")
    assert result.exit_code == 0, result.output
    assert "moved to" in result.output
    assert len(moved_aside(filled)) == 1
    assert kata("start", "mse").exit_code == 0  # the new file works


def test_a_file_that_is_not_sqlite_is_moved_aside_not_deleted(kata_home):
    state = kata_home / ".kata"
    state.mkdir(parents=True)
    (state / "progress.db").write_bytes(b"not a database at all" * 100)
    result = kata("list")
    assert result.exit_code == 0
    [aside] = moved_aside(kata_home)
    assert (state / aside).read_bytes().startswith(b"not a database")


def test_the_verdict_is_shown_when_recording_it_fails(kata_home, monkeypatch):
    kata("start", "softmax")
    (kata_home / "softmax.py").write_text((SOLUTIONS / "softmax.py").read_text())

    def readonly(*args, **kwargs):
        exc = sqlite3.OperationalError("attempt to write a readonly database")
        exc.sqlite_errorcode = 8
        raise exc

    monkeypatch.setattr(Progress, "record_check", readonly)
    result = kata("check", "softmax")
    assert result.exit_code == 0, result.output
    assert "softmax passed" in result.output
    assert "not recorded" in result.output and "read-only" in result.output


def test_the_verdict_is_shown_when_the_database_cannot_be_opened(kata_home, monkeypatch):
    kata("start", "softmax")
    (kata_home / "softmax.py").write_text((SOLUTIONS / "softmax.py").read_text())
    monkeypatch.setattr(Progress, "_connect", _failing_connect(5, "database is locked"))
    result = kata("check", "softmax")
    assert result.exit_code == 0, result.output
    assert "softmax passed" in result.output and "not recorded" in result.output
    assert moved_aside(kata_home) == []


@pytest.mark.parametrize("what", ["file", "state-file"])
def test_a_workspace_that_is_a_file_is_a_clear_error(tmp_path, monkeypatch, what):
    home = tmp_path / "ws"
    if what == "file":
        home.write_text("not a folder")
    else:
        home.mkdir()
        (home / ".kata").write_text("not a folder")
    monkeypatch.setenv("KATA_HOME", str(home))
    result = kata("list")
    assert result.exit_code == 2
    assert "cannot be used" in result.output and "Traceback" not in result.output
    assert (home.read_text() if what == "file" else (home / ".kata").read_text()) == "not a folder"
