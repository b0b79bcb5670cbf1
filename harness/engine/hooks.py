"""Spying on the calls a torch module makes to its submodules, as data a grader asserts on.

``record_calls(module, ["experts.0.w1", "experts.1.w1"], run)`` registers a forward pre-hook on
each named submodule, runs ``run()`` and returns, per name, how many times it was called and
how many rows (positions of the leading dimensions, e.g. tokens) reached it in total. A
submodule reached only through its weights (``F.linear(h, expert.w1.weight)``) or never used
counts zero calls: the grader can tell "not called as a module" from "called on the wrong
rows". Hooks are removed afterwards, whatever ``run`` raises.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Callable, Sequence

import torch


@dataclass
class Calls:
    """What reached one submodule: ``calls`` forward calls holding ``rows`` rows in all;
    ``inputs`` the first positional input of each call, detached (when ``keep_inputs``)."""

    calls: int = 0
    rows: int = 0
    inputs: list = field(default_factory=list)


def rows_of(value: Any) -> int:
    """Rows of a ``(..., features)`` tensor: the product of its leading dimensions."""
    if not isinstance(value, torch.Tensor) or value.dim() == 0:
        return 0
    return value.numel() // value.shape[-1] if value.shape[-1] else 0


def record_calls(module: torch.nn.Module, names: Sequence[str], run: Callable[[], Any], *,
                 keep_inputs: bool = False) -> tuple[Any, dict[str, Calls]]:
    """``(run(), {name: Calls})`` for every submodule in ``names`` (a missing name records
    nothing and reports zero calls)."""
    seen = {name: Calls() for name in names}
    handles = []

    def hook_for(name: str):
        def hook(_module, args, kwargs):
            record = seen[name]
            record.calls += 1
            first = args[0] if args else next(iter(kwargs.values()), None)  # nn.Linear(input=h) too
            record.rows += rows_of(first)
            if keep_inputs and isinstance(first, torch.Tensor):
                record.inputs.append(first.detach().clone())

        return hook

    try:
        for name in names:
            try:
                target = module.get_submodule(name)
            except AttributeError:
                continue
            handles.append(target.register_forward_pre_hook(hook_for(name), with_kwargs=True))
        result = run()
    finally:
        for handle in handles:
            handle.remove()
    return result, seen
