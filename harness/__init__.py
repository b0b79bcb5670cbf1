"""kata: a command-line dojo for ML and LLM coding interviews.

The Python API for editors and tools::

    import harness
    result = harness.grade("softmax", "path/to/softmax.py", seed=None)
    result.passed, result.checks, result.to_json()
"""
from __future__ import annotations

from pathlib import Path

__version__ = "0.1.0"


def grade(kata: str, path: str | Path, seed: int | None = None, timeout: float | None = None):
    """Grade ``path`` as an attempt at ``kata`` (name or alias); returns a ``GradeResult``
    whose fields are those of ``kata check --json``. Raises ``LookupError`` for an unknown kata."""
    from .catalog import find
    from .runner import grade_kata

    return grade_kata(find(kata), Path(path), seed=seed, timeout=timeout)


__all__ = ["grade", "__version__"]
