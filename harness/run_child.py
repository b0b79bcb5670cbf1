"""The child of `kata run`: ``python -m harness.run_child …``.

It loads the attempt, runs the kata's example (its ``example.toml``) or the user's
``--input``, and prints what each call returns. Nothing is graded or recorded. It runs in its
own process (the parent kills it at the time limit), so an infinite loop or a crash in the
attempt never takes the command line with it.

Only the standard library is imported at the top: the parent imports :func:`parse_literal`
and :func:`bind_inputs` from here to reject a malformed ``--input`` before starting a child.
"""
from __future__ import annotations

import argparse
import ast
import json
import math
import signal
import sys
import traceback
from pathlib import Path

KINDS = ("float", "int", "bool", "value")
_NAMED_FLOATS = {"inf": math.inf, "nan": math.nan}


class TimeUp(BaseException):
    """The time limit of the run, counted from when the attempt starts (not from start-up)."""


class InputError(ValueError):
    """A ``--input`` that is not a Python literal, or not the right number of values."""


def parse_literal(text: str):
    """``ast.literal_eval`` that also reads ``inf`` and ``nan`` (as in ``[1.0, -inf]``)."""
    try:
        tree = ast.parse(text.strip(), mode="eval")
    except SyntaxError as exc:
        raise InputError(f"`{text}` is not a Python literal ({exc.msg})") from None

    class _Names(ast.NodeTransformer):
        def visit_Name(self, node):  # noqa: N802 - ast's naming
            if node.id in _NAMED_FLOATS:
                return ast.copy_location(ast.Constant(_NAMED_FLOATS[node.id]), node)
            raise InputError(f"`{text}` is not a Python literal: `{node.id}` is a name (write numbers, "
                             "lists, tuples, strings, True/False/None, inf or nan)")

    try:
        return ast.literal_eval(_Names().visit(tree))
    except (ValueError, TypeError, SyntaxError, MemoryError, RecursionError) as exc:
        raise InputError(f"`{text}` is not a Python literal ({exc})") from None


def bind_inputs(names: list[str], value) -> dict:
    """One input name takes the whole literal; several take a tuple of as many values."""
    if len(names) == 1:
        return {names[0]: value}
    if not isinstance(value, tuple) or len(value) != len(names):
        raise InputError(f"--input takes a tuple of {len(names)} values here: ({', '.join(names)})")
    return dict(zip(names, value))


def convert(value, kind: str, framework: str):
    """A literal as the entry point expects it: nested lists become an array of the kata's framework."""
    if kind == "value":
        return value
    if framework == "torch":
        import torch

        dtype = {"float": torch.get_default_dtype(), "int": torch.long, "bool": torch.bool}[kind]
        return torch.tensor(value, dtype=dtype)
    import numpy as np

    return np.asarray(value, dtype={"float": np.float64, "int": np.int64, "bool": bool}[kind])


def _namespace(framework: str) -> dict:
    ns: dict = {"math": math, "__name__": "kata_example"}
    import random

    random.seed(0)
    ns["random"] = random
    if framework in ("numpy", "torch"):
        import numpy as np

        np.random.seed(0)
        ns["np"] = np
    if framework == "torch":
        import torch
        import torch.nn.functional as F
        from torch import nn

        torch.manual_seed(0)
        ns.update(torch=torch, nn=nn, F=F)
    return ns


def _show_error(exc: BaseException, attempt_file: str, where: str) -> None:
    """The attempt's own frames and the exception, never a frame of ours."""
    if isinstance(exc, TimeUp):
        print(f"{where}: stopped after {exc.args[0]:g} s: an infinite loop, or a slow algorithm? "
              "(`--timeout` raises the limit)")
        return
    if isinstance(exc, NotImplementedError):
        print(f"{where}: not implemented yet (the stub still raises NotImplementedError)")
        return
    frames = [f for f in traceback.extract_tb(exc.__traceback__) if f.filename == attempt_file]
    print(f"{where}: your code raised {type(exc).__name__}" + (f": {exc}" if str(exc) else ""))
    for frame in frames[-3:]:
        print(f"  line {frame.lineno}, in {frame.name}: {(frame.line or '').strip()}")


def run(args) -> int:
    from .engine import attempt as attempt_mod

    spec = json.loads(args.spec)
    attempt_path = Path(args.attempt).resolve()
    try:
        source = attempt_mod.parse(attempt_path)
    except attempt_mod.LoadError as err:
        print(f"cannot load {attempt_path}: {err.message}" + (f" (line {err.line})" if err.line else ""))
        return 1
    ns = _namespace(args.framework)  # the framework's import is not part of the time limit
    if args.timeout > 0:
        def time_up(signum, frame):
            raise TimeUp(args.timeout)

        signal.signal(signal.SIGALRM, time_up)
        signal.setitimer(signal.ITIMER_REAL, args.timeout)
    try:
        attempt = attempt_mod.execute(source, "attempt")
    except BaseException as exc:  # noqa: BLE001 - the attempt's top level may do anything
        _show_error(exc, str(attempt_path), "while importing your file")
        return 1
    ns.update({k: v for k, v in vars(attempt).items() if not k.startswith("__")})
    calls = spec["call"] if isinstance(spec["call"], list) else [spec["call"]]
    try:
        exec(compile(spec.get("setup", ""), "<example setup>", "exec"), ns)  # noqa: S102 - our own example.toml
    except BaseException as exc:  # noqa: BLE001
        _show_error(exc, str(attempt_path), "setting up the example")
        return 1
    if args.input is not None:
        kinds = spec.get("inputs", {})
        values = bind_inputs(list(kinds), parse_literal(args.input))
        try:
            ns.update({name: convert(v, kinds[name], args.framework) for name, v in values.items()})
        except (ValueError, TypeError) as exc:
            print(f"--input cannot be turned into the arguments ({exc})")
            return 2
        calls = calls[:1]
        print("your input: " + ", ".join(f"{name} = {ns[name]!r}" for name in values))
    for expression in calls:
        print(f">>> {expression}")
        try:
            value = eval(compile(expression, "<example>", "eval"), ns)  # noqa: S307 - our own example.toml
        except BaseException as exc:  # noqa: BLE001
            _show_error(exc, str(attempt_path), "the call failed")
            return 1
        if value is not None:
            print(repr(value))
    return 0


def main(argv: list[str] | None = None) -> int:
    from .engine.child import die_with_parent, limit_cpu, limit_memory

    parser = argparse.ArgumentParser(prog="harness.run_child")
    parser.add_argument("--attempt", required=True)
    parser.add_argument("--framework", required=True)
    parser.add_argument("--spec", required=True, help="the kata's example.toml as JSON")
    parser.add_argument("--input", default=None, help="a Python literal for the example's inputs")
    parser.add_argument("--timeout", type=float, default=0, help="seconds for the attempt (0: none)")
    parser.add_argument("--memory-mb", type=int, default=0)
    parser.add_argument("--cpu-seconds", type=int, default=0)
    parser.add_argument("--parent-pid", type=int, default=0)
    args = parser.parse_args(argv)
    die_with_parent(args.parent_pid)
    limit_cpu(args.cpu_seconds)
    limit_memory(args.memory_mb)
    sys.stdin = open(__import__("os").devnull)
    code = run(args)
    sys.stdout.flush()
    return code


if __name__ == "__main__":
    sys.exit(main())
