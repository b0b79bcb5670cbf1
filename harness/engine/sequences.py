"""Equivalence across call sequences of a stateful module (a KV cache, a recurrent state).

A *plan* splits a sequence of T tokens into consecutive chunks: ``[T]`` is one full forward,
``[3, 1, 1]`` a prefill of 3 tokens then two one-token decode steps, ``[2, 4, 1]`` a chunked
prefill. A *step* function ``step(chunk, state) -> (output, state)`` runs one chunk given the
state the previous chunk returned (None first). For a module whose outputs and state do not
depend on how the sequence is cut (causal attention with a cache), every plan must give the
full forward's outputs (concatenated) and state; :func:`assert_plan_matches` says at which
step and token they part first, and :func:`plan_grads` compares gradients through the state.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable, Sequence

import torch

from .errors import Fail


@dataclass
class Step:
    """One call of a plan: tokens ``start … stop - 1`` went in with ``start`` tokens of state."""

    index: int
    start: int
    stop: int
    output: Any
    state: Any


def describe_plan(plan: Sequence[int]) -> str:
    """``full forward of 5 tokens``, ``prefill of 3, then 2 one-token decode steps``,
    ``chunks of 2, 1, 3``."""
    total = sum(plan)
    if len(plan) == 1:
        return f"one full forward of {total} token{'s' * (total != 1)}"
    if all(n == 1 for n in plan[1:]):
        return f"a prefill of {plan[0]} token{'s' * (plan[0] != 1)}, then {len(plan) - 1} one-token decode steps"
    return "chunks of " + ", ".join(map(str, plan)) + " tokens"


def describe_step(step: Step) -> str:
    tokens = f"token {step.start}" if step.stop - step.start == 1 else f"tokens {step.start}…{step.stop - 1}"
    cached = f"with {step.start} already cached" if step.start else "no cache yet"
    return f"call {step.index + 1} ({tokens}, {cached})"


def plans(total: int, rng, *, max_chunk: int = 5, count: int = 3) -> list[list[int]]:
    """Plans for ``total`` tokens: the full forward, prefill + one-token decodes (prefill 1 and
    about half the sequence), all one-token steps, then ``count`` random chunkings (1 to
    ``max_chunk`` tokens per call). Duplicates are dropped; order is small to varied."""
    out: list[list[int]] = [[total]]
    for prefill in sorted({1, max(1, total // 2)}):
        out.append([prefill] + [1] * (total - prefill))
    for _ in range(count):
        chunks, left = [], total
        while left:
            n = int(rng.integers(1, min(max_chunk, left) + 1))
            chunks.append(n)
            left -= n
        out.append(chunks)
    seen, unique = set(), []
    for plan in out:
        if tuple(plan) not in seen:
            seen.add(tuple(plan))
            unique.append(plan)
    return unique


def _snapshot(state):
    if isinstance(state, torch.Tensor):
        return state.detach().clone()
    if isinstance(state, (tuple, list)):
        return type(state)(_snapshot(s) for s in state)
    return state


def _unchanged(before, after) -> bool:
    if isinstance(before, torch.Tensor):
        return isinstance(after, torch.Tensor) and before.shape == after.shape and bool(
            torch.equal(before, after.detach()))
    if isinstance(before, (tuple, list)):
        return isinstance(after, (tuple, list)) and len(before) == len(after) and all(
            _unchanged(b, a) for b, a in zip(before, after))
    return True


def run_plan(step: Callable[[torch.Tensor, Any], tuple[Any, Any]], x: torch.Tensor, plan: Sequence[int], *,
             dim: int = 1, state: Any = None, what_state: str = "the cache") -> list[Step]:
    """Run ``x`` through ``step`` chunk by chunk along ``dim``; each step gets the state the previous
    one returned. Fails when a step modifies the state it was given (it must build a new one)."""
    steps, start = [], 0
    for index, n in enumerate(plan):
        chunk = x.narrow(dim, start, n)
        before = _snapshot(state)
        result = step(chunk, state)
        if not isinstance(result, tuple) or len(result) != 2:
            raise Fail(f"forward should return a tuple (output, new state); call {index + 1} returned "
                       f"{type(result).__name__}")
        if state is not None and not _unchanged(before, state):
            raise Fail(f"{describe_step(Step(index, start, start + n, None, None))} modified {what_state} it "
                       f"was given; build a new one (torch.cat) and leave the old one unchanged",
                       case=describe_plan(plan))
        output, state = result
        steps.append(Step(index, start, start + n, output, state))
        start += n
    return steps


def assert_plan_matches(steps: list[Step], full_output: torch.Tensor, full_state: Any, *,
                        state_prefix: Callable[[Any, int], Any], compare: Callable[[Any, Any, str], None],
                        plan: Sequence[int], dim: int = 1, context: str = "") -> None:
    """Each step's output equals the matching slice of the full forward's output, and its state
    equals ``state_prefix(full_state, step.stop)`` (the full run's state after that many tokens).
    ``compare(expected, got, what)`` raises :class:`Fail`; the failure names the plan and the
    first step where they part, and carries ``.step`` (the :class:`Step`) for a grader to explain."""
    for step in steps:
        expected = full_output.narrow(dim, step.start, step.stop - step.start)
        for what, want, got in (("output", expected, step.output),
                                ("returned cache", state_prefix(full_state, step.stop), step.state)):
            try:
                compare(want, got, what)
            except Fail as fail:
                fail.message = f"{describe_step(step)}: {fail.message}"
                fail.case = f"{context}{describe_plan(plan)}" + (f"; {fail.case}" if fail.case else "")
                fail.step = step
                raise


def plan_grads(step: Callable[[torch.Tensor, Any], tuple[Any, Any]], x: torch.Tensor, plan: Sequence[int],
               params: dict[str, torch.Tensor], loss: Callable[[list[Step]], torch.Tensor], *,
               dim: int = 1) -> dict[str, torch.Tensor | None]:
    """Gradients of ``loss(steps)`` w.r.t. ``x`` (key ``"x"``) and each of ``params`` after running
    ``plan``: gradients flow back through the states the steps hand each other."""
    leaf = x.detach().clone().requires_grad_(True)
    steps = run_plan(step, leaf, plan, dim=dim)
    value = loss(steps)
    names = ["x", *params]
    if not isinstance(value, torch.Tensor) or not value.requires_grad:
        return dict.fromkeys(names)
    grads = torch.autograd.grad(value, [leaf, *params.values()], allow_unused=True)
    return dict(zip(names, grads))


def assert_same_grads(expected: dict, got: dict, *, tol: tuple[float, float], label: str, case: str) -> None:
    """Every expected gradient is matched (None where nothing depends on the input is allowed
    only when expected is None too)."""
    from .compare import array_diff

    for name, want in expected.items():
        if want is None:
            continue
        have = got.get(name)
        what = "x" if name == "x" else f"`{name}`"
        if have is None:
            raise Fail(f"{label}: no gradient reaches {what}", case=case)
        diff = array_diff(want.detach().double().numpy(), have.detach().double().numpy(), *tol)
        if diff:
            raise Fail(f"{label}: the gradient w.r.t. {what} differs from the reference's", case=case, diff=diff)
