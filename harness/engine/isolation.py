"""The reference and the engine run under the library state that existed before the attempt was
imported, whatever the attempt does to its libraries.

The attempt shares the grading process with the reference and the comparisons. An attempt that
calls ``np.seterr(all="raise")``, ``torch.set_default_dtype``, ``sys.setrecursionlimit(50)`` or
``torch.set_grad_enabled(False)`` must not make the *reference* fail, and one that replaces a
library function (``np.sum = ...``, ``torch.Tensor.__matmul__ = ...``) must not change the
reference's answer: it fails, naming what it replaced (an interview answer does not patch numpy).

``Baseline.capture()`` is taken after the engine, the grader and the reference are loaded (and
the forbidden-call guard installed), before the attempt is imported. Everything is restored
after the import and before every check; every reference function call runs under the
baseline's settings; ``replaced()``, asked after the import and after every check, names any
library attribute that is no longer the object it was (the check fails, naming it).
"""
from __future__ import annotations

import builtins
import functools
import sys
from dataclasses import dataclass, field

from .errors import Fail

# Whose attributes an attempt must leave alone (those already imported when the baseline is taken).
WATCHED_MODULES = ("builtins", "math", "random", "numpy", "numpy.linalg", "numpy.random", "numpy.fft",
                   "torch", "torch.nn.functional", "torch.linalg", "torch.special", "torch.nn.init",
                   "harness.engine.compare", "harness.engine.grader", "harness.engine.gen",
                   "harness.engine.stats", "harness.engine.torchkit")
WATCHED_CLASSES = (("torch", "Tensor"), ("torch.nn", "Module"), ("torch.nn", "Linear"))
# Modules an attempt may not import: the product itself, whose reference holds the answer.
PRODUCT_MODULES = ("harness", "solutions", "kata_reference", "kata_grader")


class ReplacedLibrary(Fail):
    pass


def _settings_get(skip: tuple = ()) -> dict:
    state = {"recursionlimit": sys.getrecursionlimit()}
    np = sys.modules.get("numpy") if "numpy" not in skip else None
    if np is not None:
        state["np_err"] = np.geterr()
        state["np_print"] = np.get_printoptions()
    torch = sys.modules.get("torch") if "torch" not in skip else None
    if torch is not None and hasattr(torch, "get_default_dtype"):
        state["torch_dtype"] = torch.get_default_dtype()
        state["torch_grad"] = torch.is_grad_enabled()
        state["torch_anomaly"] = torch.is_anomaly_enabled()
        state["torch_threads"] = torch.get_num_threads()
        if hasattr(torch, "get_default_device"):
            state["torch_device"] = torch.get_default_device()
    return state


def _settings_set(state: dict) -> None:
    if sys.getrecursionlimit() != state["recursionlimit"]:
        sys.setrecursionlimit(state["recursionlimit"])
    np = sys.modules.get("numpy")
    if np is not None and "np_err" in state:
        np.seterr(**state["np_err"])
        options = dict(state["np_print"])
        options.pop("legacy", None) if options.get("legacy") is False else None
        try:
            np.set_printoptions(**options)
        except (TypeError, ValueError):
            pass
    torch = sys.modules.get("torch")
    if torch is not None and "torch_dtype" in state:
        if torch.get_default_dtype() != state["torch_dtype"]:
            torch.set_default_dtype(state["torch_dtype"])
        torch.set_grad_enabled(state["torch_grad"])
        if torch.is_anomaly_enabled() != state["torch_anomaly"]:
            torch.set_anomaly_enabled(state["torch_anomaly"])
        if torch.get_num_threads() != state["torch_threads"]:
            torch.set_num_threads(state["torch_threads"])
        if "torch_device" in state and torch.get_default_device() != state["torch_device"]:
            torch.set_default_device(state["torch_device"])


def _resolve(dotted: str):
    module = sys.modules.get(dotted)
    if module is not None:
        return module
    owner, _, attr = dotted.rpartition(".")
    parent = sys.modules.get(owner)
    return getattr(parent, attr, None) if parent is not None else None


@dataclass
class Baseline:
    settings: dict
    attributes: dict = field(default_factory=dict)  # dotted owner -> {name: object}
    # Modules this kata's child would not have imported (the warm grader preloads them): their
    # settings are not touched, since reading some (torch's default device) imports more of them.
    skip: tuple = ()

    @classmethod
    def capture(cls, skip: tuple = ()) -> "Baseline":
        baseline = cls(_settings_get(skip), skip=tuple(skip))
        owners = [(name, sys.modules.get(name)) for name in WATCHED_MODULES
                  if name.split(".")[0] not in skip]
        owners += [(f"{mod}.{cls_name}", getattr(sys.modules.get(mod), cls_name, None))
                   for mod, cls_name in WATCHED_CLASSES if mod.split(".")[0] not in skip]
        for name, owner in owners:
            if owner is not None:
                baseline.attributes[name] = dict(vars(owner))
        return baseline

    def replaced(self) -> list[str]:
        found = []
        for name, attrs in self.attributes.items():
            owner = _resolve(name)
            if owner is None:
                continue
            current = vars(owner)
            for attr, obj in list(attrs.items()):
                if attr.startswith("__") and attr not in _DUNDER_WATCHED:
                    continue
                new = current.get(attr, _MISSING)
                if new is obj:
                    continue
                if _library_rebinding(new):
                    # A library rebinding its own function (importing torch._dynamo, which a
                    # `meta` run does, wraps torch.manual_seed): the new object is the baseline.
                    attrs[attr] = new
                    continue
                found.append(f"{name}.{attr}")
            if isinstance(owner, type):
                # On a class, a new operator or method shadows the inherited one (Tensor.__mul__
                # lives on the C base class): that is a patch too. Modules grow attributes
                # legitimately (lazy submodules), classes do not.
                found += [f"{name}.{attr}" for attr in current if attr not in attrs and attr not in _CLASS_NOISE]
        return found

    def restore(self) -> None:
        """Put back every replaced attribute and every setting."""
        for name, attrs in self.attributes.items():
            owner = _resolve(name)
            if owner is None:
                continue
            current = vars(owner)
            for attr, obj in attrs.items():
                if current.get(attr, _MISSING) is not obj:
                    try:
                        setattr(owner, attr, obj)
                    except (TypeError, AttributeError):
                        pass
            if isinstance(owner, type):
                for attr in [a for a in current if a not in attrs and a not in _CLASS_NOISE]:
                    try:
                        delattr(owner, attr)
                    except (TypeError, AttributeError):
                        pass
        _settings_set(self.settings)

    def check_untouched(self, when: str) -> None:
        """Fail (after restoring) when the attempt replaced a library function."""
        _settings_set(self.settings)  # settings rebind some aliases (torch.Storage follows the dtype)
        names = self.replaced()
        if names:
            self.restore()
            shown = ", ".join(f"`{n}`" for n in names[:3]) + (f" and {len(names) - 3} more" if len(names) > 3 else "")
            raise ReplacedLibrary(f"your code replaced {shown} {when}: an answer must not patch library "
                                  "functions (the grader's reference and comparisons use them too)")


_MISSING = object()
_LIBRARIES = ("torch", "numpy", "math", "random", "builtins", "scipy", "functorch")


def _library_rebinding(obj) -> bool:
    """Did a library put ``obj`` there itself? True when it, and everything it wraps, was
    defined by numpy/torch/the standard library's math and random (never by the attempt)."""
    seen = 0
    while obj is not _MISSING and obj is not None and seen < 8:
        module = getattr(obj, "__module__", None)
        if not isinstance(module, str) or module.split(".")[0] not in _LIBRARIES:
            return False
        code = getattr(obj, "__code__", None)
        if code is not None and code.co_filename == ATTEMPT_FILE.get("path"):
            return False
        obj, seen = getattr(obj, "__wrapped__", None), seen + 1
    return seen > 0


ATTEMPT_FILE: dict = {}
_CLASS_NOISE = {"__annotations__", "__abstractmethods__", "_abc_impl", "__parameters__"}
_DUNDER_WATCHED = {"__matmul__", "__rmatmul__", "__add__", "__mul__", "__truediv__", "__sub__", "__pow__",
                   "__getitem__", "__import__", "__call__"}


def under(baseline: Baseline, fn):
    """``fn`` run under the baseline's settings; the caller's settings are put back after."""
    @functools.wraps(fn)
    def wrapper(*args, **kwargs):
        theirs = _settings_get(baseline.skip)
        _settings_set(baseline.settings)
        try:
            return fn(*args, **kwargs)
        finally:
            _settings_set(theirs)
    return wrapper


def isolate_reference(module, entries, baseline: Baseline) -> None:
    """Every function entry point of the reference runs under the baseline's settings (a class
    entry is built under them by the check, which starts from the baseline)."""
    for name in entries:
        fn = getattr(module, name, None)
        if callable(fn) and not isinstance(fn, type):
            setattr(module, name, under(baseline, fn))


class ProductImportBlocker:
    """An attempt may not import kata itself (its reference holds the answer)."""

    def __init__(self):
        self._orig = None

    def install(self) -> None:
        orig = self._orig = builtins.__import__

        def guarded(name, globals=None, locals=None, fromlist=(), level=0):
            if level == 0 and name.split(".")[0] in PRODUCT_MODULES:
                caller = sys._getframe(1).f_globals.get("__name__", "")
                if caller == "attempt" or caller.startswith("attempt."):
                    from .errors import ForbiddenCall

                    raise ForbiddenCall(name, sys._getframe(1).f_lineno)
            return orig(name, globals, locals, fromlist, level)

        builtins.__import__ = guarded

    def uninstall(self) -> None:
        if self._orig is not None:
            builtins.__import__ = self._orig
            self._orig = None
