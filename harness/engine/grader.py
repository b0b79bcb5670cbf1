"""The declarative grader: a kata's ``grader.py`` builds one :class:`Grader` and states its checks.

A check is one graded property (a row ✓/✗ in the report). Kinds:
  * ``cases``     the attempt agrees with the reference on listed or generated inputs;
  * ``raises``    the attempt raises the promised exception;
  * ``property``  free-form: a function of the check context that raises :class:`Fail`;
  * ``speed``     timed against the reference on a large input (reported, never a verdict).
Generated cases come small to large, so the first failure is the smallest the search finds;
``simplify=True`` then rounds its float inputs while it still fails, for a readable report.
"""
from __future__ import annotations

import copy
import inspect
import time
import zlib
from dataclasses import dataclass, field
from typing import Any, Callable, Iterable

from .compare import Comparator, close
from .errors import Fail
from .show import is_array, is_tensor, short


class Case:
    """One input: positional and keyword arguments, plus an optional label for the report."""

    def __init__(self, *args: Any, **kwargs: Any):
        self.args = args
        self.kwargs = kwargs
        self.label: str | None = None

    def named(self, label: str) -> "Case":
        self.label = label
        return self

    def fresh(self) -> "Case":
        """A deep copy, so no call can see another call's mutations (extra attributes, such as
        a speed case's constructor arguments, are carried over)."""
        clone = Case(*copy.deepcopy(self.args), **copy.deepcopy(self.kwargs))
        for key, value in vars(self).items():
            if key not in ("args", "kwargs"):
                setattr(clone, key, value)
        return clone

    def render(self, fn_name: str, fn: Callable | None = None) -> str:
        names: list[str] = []
        if fn is not None:
            try:
                names = [p for p in inspect.signature(fn).parameters if p != "self"]
            except (TypeError, ValueError):
                names = []
        parts = []
        for i, arg in enumerate(self.args):
            prefix = f"{names[i]}=" if i < len(names) else ""
            parts.append(prefix + short(arg))
        parts += [f"{k}={short(v)}" for k, v in self.kwargs.items()]
        text = f"{fn_name}(" + ", ".join(parts) + ")"
        return f"{self.label}: {text}" if self.label else text


CaseSource = Iterable[Case] | Callable[[Any], Iterable[Case]]


def call_entry(entry: str) -> Callable[[Any, Case], Any]:
    """The default ``call``: ``impl.<entry>(*case.args, **case.kwargs)``."""
    return lambda impl, case: getattr(impl, entry)(*case.args, **case.kwargs)


@dataclass
class Check:
    name: str
    run: Callable[["Context"], None]
    kind: str = "property"


@dataclass
class SpeedSpec:
    make_case: Callable[[Any], Case]
    call: Callable | None
    label: str
    warn_above: float | None = None
    warning: str | None = None
    entry: str | None = None


@dataclass
class Context:
    """What a check sees: the attempt and reference modules, a seeded RNG, helpers."""

    grader: "Grader"
    attempt: Any
    ref: Any
    seed: int
    check_name: str = ""
    _rng: Any = field(default=None, repr=False)

    @property
    def rng(self):
        if self._rng is None:
            import numpy as np

            self._rng = np.random.default_rng(self.seed)
        return self._rng

    def seed_everything(self) -> None:
        import random
        import sys

        random.seed(self.seed)
        if "numpy" in sys.modules:
            sys.modules["numpy"].random.seed(self.seed % 2**32)
        if "torch" in sys.modules:
            sys.modules["torch"].manual_seed(self.seed)


def _same(before: Any, after: Any) -> str | None:
    """None when equal, else a short description of the first difference."""
    if is_array(before):
        import numpy as np

        if not is_array(after) or before.shape != after.shape:
            return "its shape or type changed"
        neq = ~((before == after) | ((before != before) & (after != after)))
        if neq.any():
            pos = tuple(int(i) for i in np.argwhere(neq)[0])
            return f"element {list(pos)} was {before[pos]!r}, now {after[pos]!r}"
        return None
    if is_tensor(before):
        import torch

        if not is_tensor(after) or before.shape != after.shape:
            return "its shape or type changed"
        b, a = before.detach(), after.detach()
        neq = ~((b == a) | (torch.isnan(b) & torch.isnan(a))) if b.is_floating_point() else b != a
        if bool(neq.any()):
            pos = tuple(int(i) for i in neq.nonzero()[0])
            return f"element {list(pos)} was {b[pos].item()!r}, now {a[pos].item()!r}"
        return None
    if isinstance(before, (list, tuple)):
        if type(before) is not type(after) or len(before) != len(after):
            return f"it was {short(before, 120)}, now {short(after, 120)}"
        for i, (b, a) in enumerate(zip(before, after)):
            sub = _same(b, a)
            if sub:
                return f"item {i}: {sub}"
        return None
    if isinstance(before, dict):
        if before.keys() != after.keys():
            return "its keys changed"
        for k in before:
            sub = _same(before[k], after[k])
            if sub:
                return f"key {k!r}: {sub}"
        return None
    if type(before).__eq__ is object.__eq__:
        return None  # identity equality (generators, RNGs, modules): nothing meaningful to compare
    try:
        return None if before == after else f"it was {short(before, 120)}, now {short(after, 120)}"
    except Exception:
        return None


def _simplified(case: Case, decimals: int) -> Case | None:
    """The case with float arrays/tensors rounded, or None when nothing would change."""
    changed = False

    def simplify(value):
        nonlocal changed
        if is_array(value) and value.dtype.kind == "f":
            import numpy as np

            rounded = np.round(value, decimals).astype(value.dtype)
            if not np.array_equal(rounded, value, equal_nan=True):
                changed = True
            return rounded
        if is_tensor(value) and value.is_floating_point():
            rounded = value.detach().round(decimals=decimals)
            if not bool((rounded == value.detach()).all()):
                changed = True
            return rounded.requires_grad_(value.requires_grad)
        return value

    new = Case(*[simplify(a) for a in case.args], **{k: simplify(v) for k, v in case.kwargs.items()})
    new.label = case.label
    return new if changed else None


class Grader:
    """Declare a kata's checks. Checks run in declaration order."""

    def __init__(self, entry: str | list[str], *, forbidden: Iterable[str] = (), forbid_half_power: bool = False,
                 pure: bool = True):
        self.entries = [entry] if isinstance(entry, str) else list(entry)
        self.forbidden = list(forbidden)
        self.forbid_half_power = forbid_half_power
        self.pure = pure
        self.checks: list[Check] = []
        self.speed_spec: SpeedSpec | None = None

    # ------------------------------------------------------------------ declarations
    def cases(self, name: str, source: CaseSource | None = None, *, compare: Comparator | None = None,
              call: Callable | None = None, entry: str | None = None, simplify: bool = False,
              pure: bool | None = None, explain: Callable[[Case, Any], str | None] | None = None,
              compare_for: Callable[[Case], Comparator] | None = None):
        """The attempt agrees with the reference on every case.

        ``source``: a list of :class:`Case`, or a function ``rng -> iterable of Case`` (small
        to large). ``call(impl, case)`` runs one case on a module (attempt or reference);
        the default calls ``impl.<entry>(*case.args, **case.kwargs)``. Usable as a decorator.
        ``explain(case, got)`` may name the mistake behind a failure (see
        :func:`harness.engine.compare.first_match`); its text leads the failure message.
        ``compare_for(case)``, when given, builds the comparator of each case (a tolerance that
        depends on the input, e.g. :func:`harness.engine.compare.scaled_to_input`).
        """
        if source is None:
            return lambda fn: self.cases(name, fn, compare=compare, call=call, entry=entry,
                                         simplify=simplify, pure=pure, explain=explain,
                                         compare_for=compare_for) or fn
        comparator = compare or close()
        entry_name = entry or self.entries[0]
        is_pure = self.pure if pure is None else pure

        def run(ctx: Context) -> None:
            cases = source(ctx.rng) if callable(source) else source
            for case in cases:
                failure = self._try_case(ctx, case, compare_for(case) if compare_for else comparator, call,
                                         entry_name, is_pure)
                if failure is None:
                    continue
                failing_case, fail = case, failure
                if simplify:
                    for decimals in (0, 1, 2):
                        smaller = _simplified(case, decimals)
                        if smaller is None:
                            continue
                        try:
                            other = self._try_case(ctx, smaller, compare_for(smaller) if compare_for else comparator,
                                                   call, entry_name, is_pure)
                        except Exception:
                            other = None
                        if other is not None:
                            failing_case, fail = smaller, other
                            break
                if fail.case is None:
                    fail.case = failing_case.render(entry_name, getattr(ctx.ref, entry_name, None))
                if explain is not None and getattr(fail, "got_value", None) is not None:
                    reason = explain(failing_case, fail.got_value)
                    if reason:
                        fail.message = f"{reason} ({fail.message})"
                raise fail

        self.checks.append(Check(name, run, "cases"))
        return None

    def _try_case(self, ctx: Context, case: Case, comparator: Comparator, call: Callable | None,
                  entry: str, pure: bool) -> Fail | None:
        runner = call or call_entry(entry)
        ctx.seed_everything()
        expected = runner(ctx.ref, case.fresh())
        given = case.fresh()
        before = given.fresh() if pure else None
        ctx.seed_everything()
        try:
            got = runner(ctx.attempt, given)
        except Exception as exc:
            # The input that made the attempt raise is part of the report (text and --json).
            if getattr(exc, "kata_case", None) is None:
                try:
                    exc.kata_case = case.render(entry, getattr(ctx.ref, entry, None))
                except Exception:  # noqa: BLE001 - a case that cannot be rendered is still a failure
                    pass
            raise
        if pure:
            named = [(f"argument {i + 1}", b, a) for i, (b, a) in enumerate(zip(before.args, given.args))]
            named += [(f"`{k}`", before.kwargs[k], given.kwargs[k]) for k in before.kwargs]
            for label, b, a in named:
                change = _same(b, a)
                if change:
                    return Fail(f"your function modified its input ({label}: {change}); "
                                "work on a copy instead")
        try:
            comparator(expected, got)
        except Fail as fail:
            fail.got_value = got  # for explain(); never serialized
            return fail
        return None

    def raises(self, name: str, exc_type: type[BaseException], cases: Iterable[Case], *,
               call: Callable | None = None, entry: str | None = None, why: str = ""):
        """The attempt raises ``exc_type`` (e.g. ValueError) on each case."""
        entry_name = entry or self.entries[0]
        runner = call or call_entry(entry_name)
        wanted = f"expected {exc_type.__name__}" + (f" ({why})" if why else "")
        from .errors import ForbiddenCall

        def run(ctx: Context) -> None:
            for case in cases:
                rendered = case.render(entry_name, getattr(ctx.ref, entry_name, None))
                try:
                    ctx.seed_everything()
                    result = runner(ctx.attempt, case.fresh())
                    if inspect.isgenerator(result):
                        list(result)  # a lazy generator raises only when consumed
                except exc_type:
                    continue
                except (ForbiddenCall, NotImplementedError, SystemExit):
                    raise
                except Exception as exc:
                    raise Fail(f"{wanted}, but your code raised {type(exc).__name__}: {exc}", case=rendered) from None
                raise Fail(f"{wanted}, but your code returned normally", case=rendered, got=short(result, 160))

        self.checks.append(Check(name, run, "raises"))

    def property(self, name: str):
        """Decorator: ``fn(ctx)`` raises :class:`Fail` when the property does not hold."""

        def register(fn: Callable[[Context], None]):
            self.checks.append(Check(name, fn, "property"))
            return fn

        return register

    def speed(self, make_case: Callable[[Any], Case], *, call: Callable | None = None, label: str = "",
              warn_above: float | None = None, warning: str | None = None, entry: str | None = None) -> None:
        """Time the attempt against the reference on ``make_case(rng)`` (a report, not a verdict)."""
        self.speed_spec = SpeedSpec(make_case, call, label, warn_above, warning, entry)

    # ------------------------------------------------------------------ execution helpers
    def check_seed(self, base_seed: int, name: str) -> int:
        return (zlib.crc32(name.encode()) ^ base_seed) & 0x7FFFFFFF

    def measure_speed(self, ctx: Context, budget_s: float = 1.5) -> dict | None:
        spec = self.speed_spec
        if spec is None:
            return None
        entry = spec.entry or self.entries[0]
        runner = spec.call or call_entry(entry)
        case = spec.make_case(ctx.rng)

        def best_of(impl) -> float:
            best, spent, runs = float("inf"), 0.0, 0
            while runs < 5 and (runs == 0 or spent < budget_s / 2):
                fresh = case.fresh()
                ctx.seed_everything()
                start = time.perf_counter()
                runner(impl, fresh)
                took = time.perf_counter() - start
                best, spent, runs = min(best, took), spent + took, runs + 1
            return best

        ref_s = best_of(ctx.ref)
        att_s = best_of(ctx.attempt)
        ratio = att_s / ref_s if ref_s > 0 else None
        out = {"label": spec.label or case.label or "a large input", "attempt_s": att_s, "reference_s": ref_s,
               "ratio": ratio}
        if spec.warn_above is not None and ratio is not None and ratio > spec.warn_above:
            out["warning"] = spec.warning or f"{ratio:.0f}x slower than the reference"
        return out
