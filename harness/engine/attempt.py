"""Loading an attempt file and checking it against the contract's signatures."""
from __future__ import annotations

import ast
import inspect
import tokenize
import sys
import types
from dataclasses import dataclass
from pathlib import Path


class LoadError(Exception):
    """The attempt cannot be graded at all (syntax, missing entry point, signature)."""

    def __init__(self, message: str, line: int | None = None, source_line: str | None = None,
                 kind: str = "error"):
        super().__init__(message)
        self.message = message
        self.line = line
        self.source_line = source_line
        self.kind = kind


@dataclass
class Source:
    path: Path
    text: str
    tree: ast.Module

    def line(self, number: int | None) -> str | None:
        if not number:
            return None
        lines = self.text.splitlines()
        return lines[number - 1].rstrip() if 0 < number <= len(lines) else None


def parse(path: Path) -> Source:
    try:
        # As Python reads source: a UTF-8 BOM (Windows editors write one) or a PEP 263 coding line.
        with tokenize.open(path) as fh:
            text = fh.read()
    except FileNotFoundError:
        raise LoadError(f"{path} does not exist") from None
    except (UnicodeDecodeError, SyntaxError) as exc:
        why = exc.reason if isinstance(exc, UnicodeDecodeError) else exc.msg
        raise LoadError(f"{path} cannot be read as Python source ({why})") from None
    try:
        tree = ast.parse(text, filename=str(path))
    except SyntaxError as exc:
        raise LoadError(f"syntax error: {exc.msg}", exc.lineno, (exc.text or "").rstrip("\n"),
                        kind="syntax") from None
    return Source(path, text, tree)


def execute(source: Source, module_name: str = "attempt") -> types.ModuleType:
    """Run the attempt's top level; exceptions propagate to the caller for classification."""
    module = types.ModuleType(module_name)
    module.__file__ = str(source.path)
    sys.modules[module_name] = module  # dataclasses/pickle look modules up by name
    code = compile(source.tree, str(source.path), "exec")
    exec(code, module.__dict__)
    return module


def definition_line(source: Source, name: str) -> int | None:
    for node in source.tree.body:
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)) and node.name == name:
            return node.lineno
    return None


def _render(name: str, sig: inspect.Signature) -> str:
    return f"{name}{sig}".replace("'", "")


def _params(sig: inspect.Signature):
    return [p for p in sig.parameters.values() if p.name != "self"]


def _literal(value) -> bool:
    return value is None or isinstance(value, (bool, int, float, str))


def compare_signature(name: str, expected_fn, got_fn) -> str | None:
    """A message when ``got_fn`` cannot be called the way the contract calls ``expected_fn``."""
    try:
        exp, got = inspect.signature(expected_fn), inspect.signature(got_fn)
    except (TypeError, ValueError):
        return None
    got_params = {p.name: p for p in _params(got)}
    has_var_kw = any(p.kind is p.VAR_KEYWORD for p in got.parameters.values())
    has_var_pos = any(p.kind is p.VAR_POSITIONAL for p in got.parameters.values())
    want = f"expected `{_render(name, exp)}`, yours is `{_render(name, got)}`"
    exp_positional = [p for p in _params(exp) if p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD)]
    got_positional = [p for p in _params(got) if p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD)]
    for i, p in enumerate(exp_positional):
        if i < len(got_positional):
            if got_positional[i].name != p.name and not has_var_kw:
                return f"parameter {i + 1} should be named `{p.name}`: {want}"
        elif not has_var_pos:
            return f"missing parameter `{p.name}`: {want}"
    for p in _params(exp):
        q = got_params.get(p.name)
        if q is None:
            if has_var_kw or (has_var_pos and p.kind is not p.KEYWORD_ONLY):
                continue
            return f"missing parameter `{p.name}`: {want}"
        if p.default is not p.empty:
            if q.default is q.empty:
                return f"`{p.name}` needs a default value ({p.default!r}): {want}"
            if _literal(p.default) and _literal(q.default) and p.default != q.default:
                return f"`{p.name}` should default to {p.default!r}, not {q.default!r}: {want}"
    extra = [p.name for p in _params(got) if p.name not in {q.name for q in _params(exp)}
             and p.kind in (p.POSITIONAL_OR_KEYWORD, p.KEYWORD_ONLY) and p.default is p.empty]
    if extra:
        return f"extra required parameter `{extra[0]}`: {want}"
    return None


def check_entry_points(source: Source, attempt: types.ModuleType, reference: types.ModuleType,
                       entries: list[str]) -> None:
    for name in entries:
        if not hasattr(attempt, name):
            kind = "class" if inspect.isclass(getattr(reference, name, None)) else "function"
            raise LoadError(f"your file defines no {kind} `{name}` (the kata's entry point)", kind="entry")
        exp_obj, got_obj = getattr(reference, name), getattr(attempt, name)
        line = definition_line(source, name)
        if inspect.isclass(exp_obj):
            if not inspect.isclass(got_obj):
                raise LoadError(f"`{name}` should be a class", line, source.line(line), kind="signature")
            members = ["__init__"] + [m for m, v in vars(exp_obj).items()
                                      if callable(v) and not m.startswith("_")]
            for member in members:
                if member != "__init__" and not hasattr(got_obj, member):
                    raise LoadError(f"class `{name}` has no method `{member}`", line, source.line(line),
                                    kind="signature")
                message = compare_signature(f"{name}.{member}" if member != "__init__" else name,
                                            getattr(exp_obj, member), getattr(got_obj, member))
                if message:
                    raise LoadError(f"wrong signature: {message}", line, source.line(line), kind="signature")
        else:
            if not callable(got_obj):
                raise LoadError(f"`{name}` should be a function", line, source.line(line), kind="signature")
            message = compare_signature(name, exp_obj, got_obj)
            if message:
                raise LoadError(f"wrong signature: {message}", line, source.line(line), kind="signature")
