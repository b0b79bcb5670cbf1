"""Progress history in an SQLite file: one append-only table of timestamped events.

Every write is one transaction. A file that is not our database (corrupt, or some other
program's) is reported and moved aside, never deleted. WAL mode and a busy timeout let two
terminals write at once.
"""
from __future__ import annotations

import json
import os
import sqlite3
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable, Iterable

APP_ID = "kata-progress"
# How long a command waits for another process that holds the database locked.
BUSY_SECONDS = 10.0
SCHEMA_VERSION = 2
SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS events (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    ts REAL NOT NULL,
    kata TEXT NOT NULL,
    kind TEXT NOT NULL,          -- start | resume | fresh | check | pass | hint | reveal | reset
    data TEXT NOT NULL DEFAULT '{}'
);
CREATE INDEX IF NOT EXISTS events_kata ON events (kata, ts);
CREATE TABLE IF NOT EXISTS mocks (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    started_at REAL NOT NULL,
    minutes REAL NOT NULL,
    seed INTEGER,
    folder TEXT NOT NULL,
    katas TEXT NOT NULL,         -- JSON list of kata names, in order
    current INTEGER NOT NULL DEFAULT 0,
    status TEXT NOT NULL DEFAULT 'active',   -- active | finished
    finished_at REAL,
    scorecard TEXT               -- JSON, once finished
);
"""


class ForeignDatabase(Exception):
    """A valid SQLite file that is not ours."""


class CorruptDatabase(sqlite3.DatabaseError):
    """Our file, damaged (its integrity check fails)."""


# SQLite result codes that prove the file itself is unusable (not a passing condition).
_CORRUPT_CODES = {11, 26}  # SQLITE_CORRUPT, SQLITE_NOTADB


def is_corrupt(exc: BaseException) -> bool:
    if isinstance(exc, (ForeignDatabase, CorruptDatabase)):
        return True
    code = getattr(exc, "sqlite_errorcode", None)
    if code is not None:
        return code & 0xFF in _CORRUPT_CODES
    text = str(exc).lower()
    return "malformed" in text or "not a database" in text


class ProgressUnavailable(Exception):
    """The progress database cannot be used right now, for a reason that is not its fault
    (locked, disk full, read-only, permissions). Nothing was moved or changed."""

    def __init__(self, path: Path, cause: BaseException):
        self.path, self.cause = path, cause
        super().__init__(describe_failure(path, cause))


def describe_failure(path: Path, cause: BaseException) -> str:
    text = str(cause)
    low = text.lower()
    if "locked" in low or "busy" in low:
        why = f"another process holds it locked (kata waited {BUSY_SECONDS:g} s); try again when it is done"
    elif "full" in low or getattr(cause, "errno", None) == 28:
        why = "the disk is full; free some space and try again"
    elif "readonly" in low or "read-only" in low or getattr(cause, "errno", None) == 30:
        why = "it is read-only (or on a read-only file system)"
    elif isinstance(cause, PermissionError) or "permission" in low or "unable to open" in low:
        why = "kata may not open or create it here (permissions?)"
    else:
        why = text
    return (f"The progress file {path} cannot be used right now: {why} ({text}). "
            f"Nothing was moved or changed.")


@dataclass
class Event:
    id: int
    ts: float
    kata: str
    kind: str
    data: dict


@dataclass
class KataProgress:
    status: str = "new"  # new | started | passed | revealed
    started_at: float | None = None
    checks: int = 0
    passes: int = 0
    hints: int = 0
    revealed: bool = False
    best_seconds: float | None = None
    last_seconds: float | None = None
    last_activity: float | None = None


class Progress:
    def __init__(self, path: Path, clock: Callable[[], float] = time.time,
                 warn: Callable[[str], None] | None = None):
        self.path = path
        self.clock = clock
        self.warn = warn or (lambda message: None)
        self.conn = self._open()

    # ------------------------------------------------------------------ opening
    def _connect(self) -> sqlite3.Connection:
        conn = sqlite3.connect(self.path, timeout=BUSY_SECONDS, isolation_level=None)
        conn.execute(f"PRAGMA busy_timeout = {int(BUSY_SECONDS * 1000)}")
        return conn

    def _open(self) -> sqlite3.Connection:
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise ProgressUnavailable(self.path, exc) from None
        conn = None
        try:
            conn = self._connect()
            self._verify_or_init(conn)
            return conn
        except (sqlite3.DatabaseError, ForeignDatabase) as exc:
            if conn is not None:
                conn.close()
            if not is_corrupt(exc):
                # Locked by another process, disk full, read-only, permission denied: the file may
                # be perfectly healthy. Report it; never move it aside.
                raise ProgressUnavailable(self.path, exc) from None
            aside = self._move_aside()
            self.warn(f"The progress file {self.path} could not be used ({exc}); it was moved to {aside} "
                      f"and a new one was started. Nothing was deleted.")
            try:
                conn = self._connect()
                self._verify_or_init(conn)
            except sqlite3.DatabaseError as again:
                raise ProgressUnavailable(self.path, again) from None
            return conn

    def _move_aside(self) -> Path:
        aside = self.path.with_name(f"{self.path.name}.unreadable-{time.strftime('%Y%m%d-%H%M%S')}")
        n = 1
        while aside.exists():
            aside = aside.with_name(f"{aside.name}-{n}")
            n += 1
        try:
            os.replace(self.path, aside)
            for suffix in ("-wal", "-shm"):
                side = Path(str(self.path) + suffix)
                if side.exists():
                    os.replace(side, Path(str(aside) + suffix))
        except OSError as exc:
            raise ProgressUnavailable(self.path, exc) from None
        return aside

    def _verify_or_init(self, conn: sqlite3.Connection) -> None:
        tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
        if tables:
            # A header can be intact while inner pages are damaged: every later query would fail.
            verdict = conn.execute("PRAGMA quick_check").fetchone()
            if verdict is None or verdict[0] != "ok":
                raise CorruptDatabase(f"the integrity check failed: {verdict[0] if verdict else 'no answer'}")
        if tables and "meta" not in tables:
            raise ForeignDatabase("it holds tables that kata did not create")
        if "meta" in tables:
            row = conn.execute("SELECT value FROM meta WHERE key='app'").fetchone()
            if not row or row[0] != APP_ID:
                raise ForeignDatabase("it belongs to another program")
            version = conn.execute("SELECT value FROM meta WHERE key='schema'").fetchone()
            if version and int(version[0]) >= SCHEMA_VERSION:
                return
        else:
            conn.execute("PRAGMA journal_mode=WAL")
        # Every statement is idempotent, so this both creates and upgrades a database.
        with self.transaction(conn):
            for statement in SCHEMA.strip().split(";"):
                if statement.strip():
                    conn.execute(statement)
            conn.execute("INSERT OR REPLACE INTO meta VALUES ('app', ?)", (APP_ID,))
            conn.execute("INSERT OR REPLACE INTO meta VALUES ('schema', ?)", (str(SCHEMA_VERSION),))

    class transaction:
        """``BEGIN IMMEDIATE`` … ``COMMIT``; rolled back on any exception (Ctrl-C included)."""

        def __init__(self, conn: sqlite3.Connection):
            self.conn = conn

        def __enter__(self):
            self.conn.execute("BEGIN IMMEDIATE")
            return self.conn

        def __exit__(self, exc_type, exc, tb):
            if exc_type is None:
                self.conn.execute("COMMIT")
            else:
                try:
                    self.conn.execute("ROLLBACK")
                except sqlite3.Error:
                    pass  # SQLite already rolled back (disk full, I/O error): keep the real error
            return False

    # ------------------------------------------------------------------ writing
    def record(self, kata: str, kind: str, data: dict | None = None, ts: float | None = None) -> None:
        with self.transaction(self.conn) as conn:
            conn.execute("INSERT INTO events (ts, kata, kind, data) VALUES (?, ?, ?, ?)",
                         (self.clock() if ts is None else ts, kata, kind, json.dumps(data or {})))

    def record_check(self, kata: str, result, path, seconds: float | None, **tags) -> None:
        """A graded check, and a pass (with the time it took since the start) when it passed;
        both in one transaction."""
        with self.transaction(self.conn) as conn:
            now = self.clock()
            check = {"status": result.status, "file": str(path), "seed": result.seed, **tags}
            conn.execute("INSERT INTO events (ts, kata, kind, data) VALUES (?, ?, 'check', ?)",
                         (now, kata, json.dumps(check)))
            if result.passed:
                conn.execute("INSERT INTO events (ts, kata, kind, data) VALUES (?, ?, 'pass', ?)",
                             (now, kata, json.dumps({"seconds": seconds, "file": str(path), **tags})))

    # ------------------------------------------------------------------ reading
    def events(self, kata: str | None = None, kinds: Iterable[str] | None = None) -> list[Event]:
        query, params = "SELECT id, ts, kata, kind, data FROM events", []
        clauses = []
        if kata is not None:
            clauses.append("kata = ?")
            params.append(kata)
        if kinds is not None:
            kinds = list(kinds)
            clauses.append(f"kind IN ({','.join('?' * len(kinds))})")
            params += kinds
        if clauses:
            query += " WHERE " + " AND ".join(clauses)
        query += " ORDER BY ts, id"
        return [Event(r[0], r[1], r[2], r[3], json.loads(r[4])) for r in self.conn.execute(query, params)]

    def summary(self, kata: str) -> KataProgress:
        return summarize(self.events(kata))

    def all_summaries(self) -> dict[str, KataProgress]:
        by_kata: dict[str, list[Event]] = {}
        for ev in self.events():
            by_kata.setdefault(ev.kata, []).append(ev)
        return {k: summarize(v) for k, v in by_kata.items()}

    def hints_taken(self, kata: str, mock_id: int | None = None) -> int:
        if mock_id is None:
            return self.summary(kata).hints
        return sum(1 for e in self.events(kata, ["hint"]) if e.data.get("mock") == mock_id)

    # ------------------------------------------------------------------ mocks
    def create_mock(self, started_at: float, minutes: float, seed: int | None, folder: str,
                    katas: list[str]) -> int:
        with self.transaction(self.conn) as conn:
            if conn.execute("SELECT 1 FROM mocks WHERE status='active'").fetchone():
                raise RuntimeError("a mock interview is already running")
            cur = conn.execute("INSERT INTO mocks (started_at, minutes, seed, folder, katas) VALUES (?, ?, ?, ?, ?)",
                               (started_at, minutes, seed, folder, json.dumps(katas)))
            return int(cur.lastrowid)

    def _mock_row(self, row) -> dict | None:
        if row is None:
            return None
        keys = ("id", "started_at", "minutes", "seed", "folder", "katas", "current", "status", "finished_at",
                "scorecard")
        mock = dict(zip(keys, row))
        mock["katas"] = json.loads(mock["katas"])
        mock["scorecard"] = json.loads(mock["scorecard"]) if mock["scorecard"] else None
        return mock

    def active_mock(self) -> dict | None:
        return self._mock_row(self.conn.execute(
            "SELECT * FROM mocks WHERE status='active' ORDER BY id DESC LIMIT 1").fetchone())

    def mock(self, mock_id: int) -> dict | None:
        return self._mock_row(self.conn.execute("SELECT * FROM mocks WHERE id=?", (mock_id,)).fetchone())

    def mocks(self) -> list[dict]:
        return [self._mock_row(r) for r in self.conn.execute("SELECT * FROM mocks ORDER BY id")]

    def set_mock_current(self, mock_id: int, current: int) -> None:
        with self.transaction(self.conn) as conn:
            conn.execute("UPDATE mocks SET current=? WHERE id=?", (current, mock_id))

    def finish_mock(self, mock_id: int, finished_at: float, scorecard: dict) -> bool:
        """Store the scorecard once; False when another terminal finished it first."""
        with self.transaction(self.conn) as conn:
            cur = conn.execute("UPDATE mocks SET status='finished', finished_at=?, scorecard=? "
                               "WHERE id=? AND status='active'", (finished_at, json.dumps(scorecard), mock_id))
            return cur.rowcount == 1

    def close(self) -> None:
        self.conn.close()


def summarize(events: list[Event]) -> KataProgress:
    p = KataProgress()
    for ev in events:
        p.last_activity = ev.ts
        if ev.kind in ("start", "fresh", "reset"):
            in_mock = ev.data.get("mock") is not None  # a mock's clock is the mock's own
            if not in_mock and (ev.kind != "start" or p.started_at is None or ev.data.get("new_attempt")):
                p.started_at = ev.ts
            if p.status == "new":
                p.status = "started"
        elif ev.kind == "check":
            p.checks += 1
        elif ev.kind == "pass":
            p.passes += 1
            seconds = ev.data.get("seconds")
            if seconds is not None:
                p.last_seconds = seconds
                p.best_seconds = seconds if p.best_seconds is None else min(p.best_seconds, seconds)
            if p.status != "revealed":
                p.status = "passed"
        elif ev.kind == "hint":
            p.hints += 1
        elif ev.kind == "reveal":
            p.revealed = True
            if p.status != "passed":
                p.status = "revealed"
    return p
