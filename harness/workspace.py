"""The user's workspace: attempts, backups and the progress database.

User work is sacred: an attempt is created only where no file exists (atomically, via a
hard link of a fully written temporary file), and replacing it always moves the old file
to a timestamped backup first. Nothing here ever deletes a user's file.
"""
from __future__ import annotations

import os
import tempfile
import time
from pathlib import Path

ENV_VAR = "KATA_HOME"
STATE_DIR = ".kata"
BACKUP_DIR = "backups"


def resolve(workspace: str | os.PathLike | None = None) -> Path:
    """``--workspace`` over ``KATA_HOME`` over ``~/kata``."""
    if workspace:
        return Path(workspace).expanduser().resolve()
    if os.environ.get(ENV_VAR):
        return Path(os.environ[ENV_VAR]).expanduser().resolve()
    return (Path.home() / "kata").resolve()


class Workspace:
    def __init__(self, root: Path):
        self.root = root

    @property
    def state_dir(self) -> Path:
        return self.root / STATE_DIR

    @property
    def db_path(self) -> Path:
        return self.state_dir / "progress.db"

    def attempt_path(self, kata_name: str, folder: Path | None = None) -> Path:
        return (folder or self.root) / f"{kata_name}.py"

    def ensure(self) -> None:
        self.state_dir.mkdir(parents=True, exist_ok=True)

    def backup_path(self, kata_name: str, now: float | None = None) -> Path:
        stamp = time.strftime("%Y%m%d-%H%M%S", time.localtime(now or time.time()))
        folder = self.state_dir / BACKUP_DIR
        candidate = folder / f"{kata_name}-{stamp}.py"
        n = 1
        while candidate.exists():
            candidate = folder / f"{kata_name}-{stamp}-{n}.py"
            n += 1
        return candidate

    def move_aside(self, path: Path, kata_name: str, now: float | None = None) -> Path:
        """Move an attempt to a timestamped backup; never overwrites anything."""
        target = self.backup_path(kata_name, now)
        target.parent.mkdir(parents=True, exist_ok=True)
        os.link(path, target)  # fails rather than overwrite; both names now point at the data
        os.unlink(path)
        return target


def _written_temp(path: Path, text: str) -> str:
    """A fully written and synced temporary file beside ``path`` (same file system)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(text)
            fh.flush()
            os.fsync(fh.fileno())
    except BaseException:
        os.unlink(tmp)
        raise
    return tmp


def create_exclusive(path: Path, text: str) -> bool:
    """Write ``text`` to ``path`` only if nothing is there; atomic. False if it exists."""
    tmp = _written_temp(path, text)
    try:
        os.link(tmp, path)  # fails rather than replace an existing file
        return True
    except FileExistsError:
        return False
    finally:
        os.unlink(tmp)
