"""Spying on a callable the grader hands to the attempt (a model's ``step_fn``, a ``sample``).

A :class:`Spy` records every call (deep copies of its arguments, so a caller that later
mutates what it passed cannot rewrite history), counts them, and answers each call by
delegating to a function or by replaying a script of results. :func:`assert_same_calls`
compares the attempt's calls with the reference's and reports the first that differs:
"`sample` call 1 of 1, argument 1: wrong values …" or "`step_fn` was called 4 times, expected 3".
"""
from __future__ import annotations

import copy
from dataclasses import dataclass, field
from typing import Any, Callable, Iterable

from .errors import Fail
from .show import is_array, short


@dataclass
class Call:
    args: tuple
    kwargs: dict = field(default_factory=dict)

    def render(self, name: str, limit: int = 300) -> str:
        parts = [short(a, limit) for a in self.args] + [f"{k}={short(v, limit)}" for k, v in self.kwargs.items()]
        return f"{name}(" + ", ".join(parts) + ")"


class Spy:
    """A callable that records its calls.

    ``fn``: computes each answer from the arguments (the original objects, not the copies).
    ``script``: answers to give in order instead (a list; the last one is repeated when the
    script runs out, so that an attempt that calls too often is still graded by its count).
    """

    def __init__(self, fn: Callable | None = None, *, name: str = "the callback", script: Iterable | None = None):
        if fn is None and script is None:
            raise ValueError("a Spy needs fn or script")
        self.fn = fn
        self.name = name
        self.script = list(script) if script is not None else None
        self.calls: list[Call] = []

    def __call__(self, *args, **kwargs):
        self.calls.append(Call(copy.deepcopy(args), copy.deepcopy(kwargs)))
        if self.fn is not None:
            return self.fn(*args, **kwargs)
        if not self.script:
            return None
        return self.script[min(len(self.calls), len(self.script)) - 1]

    def __deepcopy__(self, memo):
        return self  # a case may hold a spy: copies of the case share its record

    @property
    def count(self) -> int:
        return len(self.calls)

    def args(self, index: int = 0) -> list:
        """Positional argument ``index`` of every call, in call order."""
        return [c.args[index] if index < len(c.args) else None for c in self.calls]


def _plain_equal(expected: Any, got: Any) -> str | None:
    """Exact equality for plain values and arrays (element-wise); None when equal."""
    if is_array(expected) or is_array(got):
        import numpy as np

        if not (is_array(expected) and is_array(got)) or expected.shape != got.shape:
            return f"expected {short(expected)}, got {short(got)}"
        return None if np.array_equal(expected, got) else f"expected {short(expected)}, got {short(got)}"
    try:
        same = expected == got
        if not isinstance(same, bool):
            same = bool(same)
    except Exception:
        same = False
    return None if same else f"expected {short(expected)}, got {short(got)}"


def compare_by(comparator: Callable[[Any, Any], None]) -> Callable[[Any, Any], str | None]:
    """Turn a comparator (raising :class:`Fail`, e.g. ``close(1e-9, 1e-12)``) into an argument
    test for :func:`assert_same_calls`."""

    def differs(expected, got):
        try:
            comparator(expected, got)
        except Fail as fail:
            text = fail.message
            if fail.diff:
                text += "\n" + fail.diff
            return text
        return None

    return differs


def first_difference(expected: list[Call], got: list[Call], name: str,
                     same: Callable[[Any, Any], str | None] = _plain_equal) -> str | None:
    """A readable account of the first call where ``got`` departs from ``expected``, or None."""
    for i, (e, g) in enumerate(zip(expected, got)):
        where = f"call {i + 1} of {name}"
        if len(e.args) != len(g.args) or set(e.kwargs) != set(g.kwargs):
            return f"{where}: expected {e.render(name)}, got {g.render(name)}"
        for j, (ea, ga) in enumerate(zip(e.args, g.args)):
            problem = same(ea, ga)
            if problem:
                return f"{where}, argument {j + 1}: {problem}"
        for key in e.kwargs:
            problem = same(e.kwargs[key], g.kwargs[key])
            if problem:
                return f"{where}, argument `{key}`: {problem}"
    if len(expected) != len(got):
        times = lambda n: "once" if n == 1 else f"{n} times"  # noqa: E731
        text = f"{name} was called {times(len(got))}, expected {times(len(expected))}"
        if len(got) > len(expected):
            text += f"; the extra call {len(expected) + 1} was {got[len(expected)].render(name)}"
        else:
            text += f"; the missing call {len(got) + 1} is {expected[len(got)].render(name)}"
        return text
    return None


def assert_same_calls(expected: Spy, got: Spy, *, same: Callable[[Any, Any], str | None] = _plain_equal,
                      message: str | None = None, case: str | None = None) -> None:
    """:class:`Fail` unless ``got`` saw the same calls as ``expected`` (count and arguments).
    ``message`` leads the failure (what the calls should be); the difference follows it."""
    problem = first_difference(expected.calls, got.calls, f"`{got.name}`", same)
    if problem:
        raise Fail(f"{message}: {problem}" if message else problem, case=case)


def with_calls(result: Callable[[Any, Any], None], *, same: Callable[[Any, Any], str | None] = _plain_equal,
               message: str | None = None) -> Callable[[Any, Any], None]:
    """A comparator for a ``call`` that returns ``(result, spy)``: the spy's calls are compared
    first (they say where the attempt went wrong), then the result with ``result``."""

    def compare(expected, got) -> None:
        (e_result, e_spy), (g_result, g_spy) = expected, got
        assert_same_calls(e_spy, g_spy, same=same, message=message)
        result(e_result, g_result)

    return compare
