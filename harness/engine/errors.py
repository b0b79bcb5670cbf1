"""Exceptions that carry a verdict from the engine to the report."""
from __future__ import annotations

from typing import Any


class Fail(Exception):
    """A check found the attempt wrong. ``message`` is written for the candidate.

    ``case`` is the (smallest) input that shows it, ``expected``/``got`` short renderings.
    """

    def __init__(self, message: str, *, case: str | None = None, expected: str | None = None,
                 got: str | None = None, diff: str | None = None):
        super().__init__(message)
        self.message = message
        self.case = case
        self.expected = expected
        self.got = got
        self.diff = diff

    def to_dict(self) -> dict[str, Any]:
        return {k: v for k, v in {"message": self.message, "case": self.case, "expected": self.expected,
                                  "got": self.got, "diff": self.diff}.items() if v is not None}


class ForbiddenCall(BaseException):
    """Raised when the attempt calls a forbidden function at run time.

    A BaseException so that an attempt's ``except Exception`` cannot swallow it.
    """

    def __init__(self, name: str, line: int | None):
        super().__init__(f"{name} is forbidden in this kata")
        self.name = name
        self.line = line


class AttemptError(Exception):
    """The attempt itself raised (or exited); carries the exception and the user's line."""

    def __init__(self, exc: BaseException, line: int | None, where: str = ""):
        super().__init__(str(exc))
        self.exc = exc
        self.line = line
        self.where = where

    @property
    def not_implemented(self) -> bool:
        return isinstance(self.exc, NotImplementedError)

    def describe(self) -> str:
        exc = self.exc
        if isinstance(exc, SystemExit):
            what = f"your code called sys.exit({exc.code!r})"
        elif isinstance(exc, KeyboardInterrupt):
            what = "your code raised KeyboardInterrupt"
        else:
            text = str(exc).strip()
            what = f"your code raised {type(exc).__name__}" + (f": {text}" if text else "")
        if self.line is not None:
            what += f" (line {self.line} of your file)"
        return what
