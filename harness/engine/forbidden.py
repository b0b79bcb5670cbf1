"""Forbidden calls: found in the source (imports, attribute chains) and guarded at run time.

Patterns are dotted names:
  ``math.sqrt``          that exact function (also reached as ``from math import sqrt as s``),
  ``numpy.random.*``     anything under ``numpy.random``,
  ``torch``              the module itself and everything under it,
  ``*.scaled_dot_product_attention``  that attribute name on any object (private paths).
The run-time guard wraps each resolvable target so that a call made while the attempt's
code is on the stack raises :class:`ForbiddenCall`; calls from our own code pass through.
"""
from __future__ import annotations

import ast
import builtins
import functools
import importlib
import sys
from dataclasses import dataclass
from fnmatch import fnmatchcase
from types import ModuleType
from typing import Iterable

from .errors import ForbiddenCall


@dataclass(frozen=True)
class Violation:
    name: str
    line: int

    def describe(self) -> str:
        return f"line {self.line}: `{self.name}` is forbidden in this kata"


def matches(name: str, pattern: str) -> bool:
    if pattern.startswith("*."):
        return fnmatchcase(name.rsplit(".", 1)[-1], pattern[2:])
    if pattern.endswith(".*"):
        return name.startswith(pattern[:-1])
    if any(ch in pattern for ch in "*?["):
        return fnmatchcase(name, pattern)
    return name == pattern or name.startswith(pattern + ".")


def _is_forbidden(name: str, patterns: Iterable[str]) -> bool:
    return any(matches(name, p) for p in patterns)


# --------------------------------------------------------------------------- source scan
def _dotted(node: ast.AST) -> list[str] | None:
    parts: list[str] = []
    while isinstance(node, ast.Attribute):
        parts.append(node.attr)
        node = node.value
    if isinstance(node, ast.Name):
        parts.append(node.id)
        return parts[::-1]
    return None


def _const_value(node: ast.AST):
    """Fold numeric constant expressions such as ``0.5``, ``1/2``, ``(1.0 / 2)``."""
    if isinstance(node, ast.Constant) and isinstance(node.value, (int, float)):
        return node.value
    if isinstance(node, ast.BinOp):
        left, right = _const_value(node.left), _const_value(node.right)
        if left is None or right is None:
            return None
        try:
            if isinstance(node.op, ast.Div):
                return left / right
            if isinstance(node.op, ast.Mult):
                return left * right
        except ZeroDivisionError:
            return None
    return None


def scan_source(tree: ast.AST, patterns: Iterable[str], forbid_half_power: bool = False) -> list[Violation]:
    patterns = list(patterns)
    aliases: dict[str, str] = {}
    found: dict[tuple[str, int], Violation] = {}

    def flag(name: str, line: int) -> None:
        if _is_forbidden(name, patterns):
            found.setdefault((name, line), Violation(name, line))

    # Pass 1: imports define aliases (anywhere in the file, functions included).
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                flag(alias.name, node.lineno)
                if alias.asname:
                    aliases[alias.asname] = alias.name
                else:
                    top = alias.name.split(".")[0]
                    aliases[top] = top
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            for alias in node.names:
                full = f"{node.module}.{alias.name}"
                flag(full, node.lineno)
                aliases[alias.asname or alias.name] = full
    # The candidate's own names: ``self.layer_norm(x)`` calls the candidate's method, not
    # torch's kernel, so "any object's attribute" patterns (``*.layer_norm``) skip them.
    own = {node.name for node in ast.walk(tree)
           if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef))}
    exact_only = [p for p in patterns if not p.startswith("*.")]
    # Pass 2: attribute chains and names resolved through the aliases.
    for node in ast.walk(tree):
        if isinstance(node, (ast.Attribute, ast.Name)):
            parts = _dotted(node)
            if not parts:
                continue
            head = aliases.get(parts[0])
            resolved = ".".join([head, *parts[1:]]) if head else ".".join(parts)
            if head or len(parts) > 1:
                if not head and (parts[0] in ("self", "cls") or parts[-1] in own):
                    if _is_forbidden(resolved, exact_only):
                        found.setdefault((resolved, node.lineno), Violation(resolved, node.lineno))
                    continue
                flag(resolved, node.lineno)
        elif isinstance(node, ast.Constant) and isinstance(node.value, str) and node.value not in own:
            # getattr(module, "sqrt") / __import__("math"): a string naming a forbidden target.
            if any(p.startswith("*.") and fnmatchcase(node.value, p[2:]) for p in patterns):
                flag(node.value, node.lineno)
        if forbid_half_power:
            if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Pow) and _const_value(node.right) == 0.5:
                found.setdefault(("** 0.5", node.lineno), Violation("** 0.5 (a square root by power)", node.lineno))
            if isinstance(node, ast.Call) and len(node.args) >= 2 and _const_value(node.args[1]) == 0.5:
                parts = _dotted(node.func)
                if parts and parts[-1] in ("pow", "power", "float_power"):
                    found.setdefault(("pow", node.lineno), Violation("pow(x, 0.5) (a square root by power)", node.lineno))
    # One violation per line: the longest chain (``numpy.random.shuffle``, not ``numpy.random``).
    best: dict[int, Violation] = {}
    for v in found.values():
        if v.line not in best or len(v.name) > len(best[v.line].name):
            best[v.line] = v
    return [best[line] for line in sorted(best)]


# --------------------------------------------------------------------------- run-time guard
class RuntimeGuard:
    """Wraps forbidden targets while the attempt runs; records every blocked call."""

    def __init__(self, patterns: Iterable[str], attempt_file: str, allowed_modules: Iterable[str] = ()):
        self.patterns = list(patterns)
        self.attempt_file = attempt_file
        self.hits: list[ForbiddenCall] = []
        self._saved: list[tuple[object, str, object]] = []
        self._orig_import = None
        self.active = False

    # The frame walk is what makes aliases irrelevant: however the attempt reached the
    # function, the attempt's own frame is on the stack when it is called.
    def attempt_line(self) -> int | None:
        frame = sys._getframe(2)
        while frame is not None:
            if frame.f_code.co_filename == self.attempt_file:
                return frame.f_lineno
            frame = frame.f_back
        return None

    def _blocked(self, name: str):
        line = self.attempt_line()
        if line is None:
            return None
        hit = ForbiddenCall(name, line)
        self.hits.append(hit)
        return hit

    def _wrap_callable(self, orig, name: str):
        guard = self

        @functools.wraps(orig)
        def forbidden_guard(*args, **kwargs):
            if guard.active:
                hit = guard._blocked(name)
                if hit is not None:
                    raise hit
            return orig(*args, **kwargs)

        return forbidden_guard

    def _patch(self, owner: object, attr: str, name: str) -> None:
        try:
            orig = getattr(owner, attr)
        except AttributeError:
            return
        if isinstance(orig, ModuleType):
            return
        try:
            if isinstance(orig, type):
                init = orig.__dict__.get("__init__")
                if init is None:
                    return  # an inherited __init__ is shared with allowed classes: source scan only
                self._saved.append((orig, "__init__", init))
                setattr(orig, "__init__", self._wrap_callable(init, name))
                return
            if callable(orig):
                self._saved.append((owner, attr, orig))
                setattr(owner, attr, self._wrap_callable(orig, name))
                self._patch_class_of(orig, attr, name)
        except (TypeError, AttributeError):
            pass  # C types and read-only attributes: the source scan still covers them

    def _patch_class_of(self, orig, attr: str, name: str) -> None:
        """``random.shuffle`` is ``random._inst.shuffle``, a method bound to a hidden instance:
        guard the method on its class too (``random.Random.shuffle``), so that the private
        instance, or a ``random.Random()`` of the attempt's own, is no way around the guard."""
        instance = getattr(orig, "__self__", None)
        if instance is None or isinstance(instance, (ModuleType, type)):
            return
        cls = type(instance)
        func = getattr(cls, attr, None)
        if func is None or not callable(func):
            return
        saved = cls.__dict__.get(attr, _MISSING)  # inherited: delete our wrapper afterwards
        try:
            setattr(cls, attr, self._wrap_callable(func, name))
        except (TypeError, AttributeError):
            return  # a C type (numpy's RandomState): the module attribute is guarded already
        self._saved.append((cls, attr, saved))

    def _targets(self):
        """(owner, attr, dotted name) for every target of the patterns that can be reached
        without importing anything new (a numpy kata must not pay for importing torch)."""
        for pattern in self.patterns:
            if pattern.startswith("*."):
                continue  # any object's attribute: only the source scan can see these
            wildcard = pattern.endswith(".*")
            base = pattern[:-2] if wildcard else pattern
            glob = not wildcard and any(ch in base for ch in "*?[")
            parts = base.split(".")
            if glob:
                parent, leaf_glob = ".".join(parts[:-1]), parts[-1]
                owner = _resolve(parent)
                if owner is None:
                    continue
                for name in dir(owner):
                    if fnmatchcase(name, leaf_glob):
                        yield owner, name, f"{parent}.{name}"
                continue
            obj = _resolve(base)
            if obj is None:
                continue
            if isinstance(obj, ModuleType):
                # Everything public that this module itself defines (not what it re-exports:
                # wrapping torch.nn.Linear because some module imported it would break the attempt).
                for name in dir(obj):
                    value = getattr(obj, name, None)
                    if not name.startswith("_") and getattr(value, "__module__", None) == obj.__name__:
                        yield obj, name, f"{base}.{name}"
            else:
                owner = _resolve(".".join(parts[:-1]))
                if owner is not None:
                    yield owner, parts[-1], base

    def install(self) -> None:
        self.active = True
        for owner, attr, name in list(self._targets()):
            self._patch(owner, attr, name)
        # Imports of forbidden modules from the attempt (``import torch``, ``__import__``).
        self._orig_import = builtins.__import__
        guard, orig_import = self, builtins.__import__

        def guarded_import(name, globals=None, locals=None, fromlist=(), level=0):
            if guard.active and level == 0:
                full = [name] + [f"{name}.{f}" for f in (fromlist or ()) if f != "*"]
                for candidate in full:
                    pattern = next((p for p in guard.patterns if matches(candidate, p)), None)
                    if pattern is not None:
                        # Name what the candidate reached for, not the library's internals.
                        shown = candidate if pattern.startswith("*.") else pattern.removesuffix(".*")
                        hit = guard._blocked(shown if len(shown) <= len(candidate) else candidate)
                        if hit is not None:
                            raise hit
            return orig_import(name, globals, locals, fromlist, level)

        builtins.__import__ = guarded_import

    def uninstall(self) -> None:
        self.active = False
        for owner, attr, orig in reversed(self._saved):
            try:
                if orig is _MISSING:
                    delattr(owner, attr)
                else:
                    setattr(owner, attr, orig)
            except (TypeError, AttributeError):
                pass
        self._saved.clear()
        if self._orig_import is not None:
            builtins.__import__ = self._orig_import
            self._orig_import = None


_MISSING = object()


def _resolve(dotted: str):
    """The object at a dotted path, importing submodules only of packages already imported."""
    parts = dotted.split(".")
    if not parts or parts[0] not in sys.modules:
        return None
    obj = sys.modules[parts[0]]
    for i, part in enumerate(parts[1:], 1):
        nxt = getattr(obj, part, None)
        if nxt is None:
            try:
                nxt = importlib.import_module(".".join(parts[: i + 1]))
            except Exception:
                return None
        obj = nxt
    return obj


# Lists shared by several katas (KATAS.md states them once for a group of katas).
# sqrt_newton and sqrt_gd (use with forbid_half_power=True for `** 0.5` and pow(x, 0.5)).
SQRT_FORBIDDEN = ["math.sqrt", "numpy.sqrt", "cmath", "math.isqrt", "math.pow", "numpy.power"]
