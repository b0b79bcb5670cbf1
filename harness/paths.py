"""Where the bundled katas and reference solutions live.

In a wheel they are shipped inside the package (``harness/_katas``, ``harness/_solutions``);
in a source checkout or an editable install they are the repo's top-level folders.
"""
from __future__ import annotations

from functools import lru_cache
from pathlib import Path

_HERE = Path(__file__).resolve().parent


def _first_dir(*candidates: Path) -> Path:
    for candidate in candidates:
        if candidate.is_dir():
            return candidate
    return candidates[0]


@lru_cache(maxsize=None)
def katas_root() -> Path:
    return _first_dir(_HERE / "_katas", _HERE.parent / "katas")


@lru_cache(maxsize=None)
def solutions_root() -> Path:
    return _first_dir(_HERE / "_solutions", _HERE.parent / "solutions")
