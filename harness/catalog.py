"""The kata catalogue, read from each kata's ``kata.toml`` (the one source of truth).

Pure standard library: listing and showing katas imports neither numpy nor torch.
"""
from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from .paths import katas_root, solutions_root

DIFFICULTIES = ("easy", "medium", "hard")
FRAMEWORKS = ("python", "numpy", "torch")
DEFAULT_FILES = {"statement": "statement.md", "stub": "stub.py", "grader": "grader.py", "notes": "notes.md"}


class UnknownKata(LookupError):
    def __init__(self, name: str, suggestion: str | None):
        self.name = name
        self.suggestion = suggestion
        hint = f" Did you mean `{suggestion}`?" if suggestion else ""
        super().__init__(f"There is no kata called `{name}`.{hint} Run `kata list` to see them all.")


@dataclass(frozen=True)
class Kata:
    name: str
    title: str
    difficulty: str
    tags: tuple[str, ...]
    par_minutes: int
    aliases: tuple[str, ...]
    framework: str
    entry: tuple[str, ...]
    hints: tuple[str, ...]
    folder: Path
    timeout: float = 10.0
    files: dict = field(default_factory=dict)

    def path(self, role: str) -> Path:
        return self.folder / self.files.get(role, DEFAULT_FILES[role])

    @property
    def statement_path(self) -> Path:
        return self.path("statement")

    @property
    def stub_path(self) -> Path:
        return self.path("stub")

    @property
    def grader_path(self) -> Path:
        return self.path("grader")

    @property
    def notes_path(self) -> Path:
        return self.path("notes")

    @property
    def solution_path(self) -> Path:
        return solutions_root() / f"{self.name}.py"


def _load(folder: Path) -> Kata:
    with open(folder / "kata.toml", "rb") as fh:
        data = tomllib.load(fh)
    return Kata(
        name=folder.name,
        title=data["title"],
        difficulty=data.get("difficulty", "medium"),
        tags=tuple(data.get("tags", ())),
        par_minutes=int(data.get("par_minutes", 15)),
        aliases=tuple(data.get("aliases", ())),
        framework=data.get("framework", "numpy"),
        entry=tuple(data.get("entry", ())),
        hints=tuple(data.get("hints", ())),
        folder=folder,
        timeout=float(data.get("timeout", 10)),
        files={**DEFAULT_FILES, **data.get("files", {})},
    )


@lru_cache(maxsize=None)
def all_katas() -> tuple[Kata, ...]:
    root = katas_root()
    folders = sorted(p for p in root.iterdir() if (p / "kata.toml").is_file()) if root.is_dir() else []
    return tuple(_load(f) for f in folders)


def _index() -> dict[str, Kata]:
    index: dict[str, Kata] = {}
    for kata in all_katas():
        index[kata.name] = kata
        for alias in kata.aliases:
            index.setdefault(alias, kata)
    return index


def _normal(name: str) -> str:
    return name.strip().lower().replace("-", "_")


def find(name: str) -> Kata:
    """The kata by name or alias (case and ``-``/``_`` insensitive), else :class:`UnknownKata`."""
    index = _index()
    key = _normal(name)
    if key in index:
        return index[key]
    import difflib  # only for a name we do not know

    close = difflib.get_close_matches(key, list(index), n=1, cutoff=0.5)
    if not close:
        close = [k for k in index if key and (key in k or k in key)][:1]
    suggestion = index[close[0]].name if close else None
    raise UnknownKata(name, suggestion)
