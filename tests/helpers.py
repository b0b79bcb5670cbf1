"""Small helpers shared by the test-suite (loading references and stubs by path)."""
from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

REPO = Path(__file__).resolve().parent.parent
KATAS = REPO / "katas"
SOLUTIONS = REPO / "solutions"
CORPUS = Path(__file__).resolve().parent / "corpus"


def load_path(path: Path, name: str | None = None) -> ModuleType:
    """Import a Python file by path under a unique module name."""
    mod_name = name or f"_kata_test_{path.parent.name}_{path.stem}"
    spec = importlib.util.spec_from_file_location(mod_name, path)
    module = importlib.util.module_from_spec(spec)
    sys.modules[mod_name] = module
    spec.loader.exec_module(module)
    return module


def load_solution(kata: str) -> ModuleType:
    """The hidden reference solution of a kata, as a module."""
    return load_path(SOLUTIONS / f"{kata}.py", f"_kata_solution_{kata}")


def load_stub(kata: str) -> ModuleType:
    return load_path(KATAS / kata / "stub.py", f"_kata_stub_{kata}")
