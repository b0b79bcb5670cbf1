"""Hand-written backward passes: the gradients of ``Σ dy ⊙ y`` for the grader's upstream ``dy``.

A numpy kata's backward returns named gradients (``dx``, ``dgamma``, ``dbeta``, …). The
comparator :func:`gradients` holds them to the true ones one by one and says which one is
wrong, where, expected vs got, and when a shape is wrong, which input it must match.

Where the truth comes from. In the grading child it is the reference's backward, itself proven
against torch autograd in ``tests/references``: a numpy kata's child never imports torch,
whose import (about 1.5 s here, against 0.1 s for numpy) would cost more than the whole
check. :func:`autograd_vjp` computes the same gradients with torch autograd, importing
torch only when called: the reference tests use it, and a grader may too where no reference
backward exists (at that price).

Torch katas graded against a named built-in (``F.cross_entropy``, ``F.gelu``) use
:func:`builtin_call` and :func:`versus`: every graded call runs the built-in on copies of the
inputs beside the attempt, and the two values and gradients are compared.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable, Mapping, Sequence

from .compare import array_diff, first_match
from .errors import Fail
from .show import is_array, short, type_name


def upstream(rng, shape: Sequence[int]):
    """The grader's random upstream gradient ``dy`` (float64 standard normals)."""
    import numpy as np

    return rng.standard_normal(tuple(shape)).astype(np.float64)


def gradients(names: Sequence[str], like: Mapping[str, str] | None = None, *, rtol: float = 1e-6,
              atol: float = 1e-9, returns: str = "") -> Callable[[Any, Any], None]:
    """A comparator for a tuple of gradients in the order of ``names`` (e.g. ``("dx", "dgamma",
    "dbeta")``). ``like`` names the input each gradient must be shaped like (``{"dgamma":
    "gamma"}``), for the shape message; ``returns`` how the function hands them back
    (``"layernorm_backward(dy, cache)"``), for the type message."""
    like = dict(like or {})
    names = list(names)

    def compare(expected, got) -> None:
        what = returns or "the backward"
        if not isinstance(got, (tuple, list)) or len(got) != len(names):
            size = f" of length {len(got)}" if isinstance(got, (tuple, list)) else ""
            raise Fail(f"{what} should return a tuple ({', '.join(names)}), got {type_name(got)}{size}")
        for name, exp, value in zip(names, expected, got):
            compare_gradient(name, exp, value, like.get(name), rtol=rtol, atol=atol)

    return compare


def compare_gradient(name: str, expected, got, like: str | None = None, *, rtol: float = 1e-6,
                     atol: float = 1e-9) -> None:
    """One named gradient: a float64 array of the expected shape and values."""
    import numpy as np

    if not is_array(got):
        if isinstance(got, (list, tuple, float, int)) and not isinstance(got, bool):
            got = np.asarray(got, dtype=np.float64)
        else:
            raise Fail(f"`{name}` should be a numpy array, got {type_name(got)}", expected=short(expected))
    shaped = f" (the shape of {like})" if like else ""
    if got.shape != expected.shape:
        raise Fail(f"`{name}` has shape {got.shape}; expected {expected.shape}{shaped}",
                   expected=short(expected), got=short(got))
    diff = array_diff(expected, got, rtol, atol, what=f"entries of {name}")
    if diff:
        raise Fail(f"`{name}` is wrong", expected=short(expected), got=short(got), diff=diff)


def mistakes(suspects: Callable[[Any], Sequence[tuple[tuple, str, Any]]], *,
             truth: Callable[[Any], Any] | None = None, rtol: float = 1e-6,
             atol: float = 1e-9) -> Callable[[Any, Any], str | None]:
    """An ``explain=`` for :meth:`Grader.cases` that names a known wrong gradient (or output).

    ``suspects(case)`` lists ``(path, message, wrong_value)``: ``path`` indexes into what the
    ``call`` returned (``(1, 0)`` is ``result[1][0]``, e.g. dx inside ``(y, (dx, dgamma,
    dbeta))``; ``()`` the whole result). The first suspect whose part of the attempt's result
    equals its wrong value names the mistake. A mistake can coincide with the right answer on
    some inputs (E[x²] − E[x]² near 0): ``truth(case)``, the right result in the same layout,
    drops such suspects, so a right part never names a mistake.
    """

    def part_of(value, path):
        for key in path:
            value = value[key]
        return value

    def explain(case, got) -> str | None:
        right = truth(case) if truth is not None else None
        for path, message, wrong in suspects(case):
            try:
                part = part_of(got, path)
                if right is not None and first_match(part_of(right, path), {message: wrong}, rtol, atol):
                    continue  # indistinguishable from the right answer here
            except (TypeError, IndexError, KeyError):
                continue
            if first_match(part, {message: wrong}, rtol, atol):
                return message
        return None

    return explain


def autograd_vjp(fn: Callable, inputs: Mapping[str, Any], dy, wrt: Sequence[str] | None = None):
    """``(y, {name: gradient})`` of ``Σ dy ⊙ fn(**inputs)`` by torch autograd, in float64.

    ``fn`` takes torch tensors (e.g. ``lambda x, gamma, beta: F.layer_norm(x, x.shape[-1:],
    gamma, beta)``); numpy arrays among ``inputs`` become float64 leaves (those in ``wrt``, all
    arrays when None, require grad); other values pass unchanged. Returns numpy arrays.
    Imports torch: never call it where the child must stay torch-free.
    """
    import numpy as np
    import torch

    tensors, leaves = {}, {}
    for key, value in inputs.items():
        if is_array(value):
            t = torch.tensor(np.asarray(value, dtype=np.float64))
            if wrt is None or key in wrt:
                t.requires_grad_(True)
                leaves[key] = t
            tensors[key] = t
        else:
            tensors[key] = value
    y = fn(**tensors)
    grads = torch.autograd.grad((y * torch.as_tensor(dy, dtype=y.dtype)).sum(), list(leaves.values()),
                                allow_unused=True)
    return y.detach().numpy(), {k: (None if g is None else g.numpy()) for k, g in zip(leaves, grads)}


# --------------------------------------------------------------------------- torch: a built-in as the truth
@dataclass
class Versus:
    """One graded call: ``got`` (the module's value and gradients) beside ``truth`` (the built-in's,
    on copies of the same inputs, computed first)."""

    got: Any
    truth: Any


def builtin_call(entry: str, builtin: Callable, wrt: Sequence[str | int] = (0,)) -> Callable:
    """A ``call`` for :meth:`Grader.cases` in a torch kata graded against a named built-in
    (``F.cross_entropy``, ``F.gelu``): runs ``builtin`` and then ``impl.<entry>`` on fresh copies
    of the case, each through :func:`torchkit.value_and_grads` (value, and gradients w.r.t. ``wrt``;
    ``wrt=()`` for the value only). Pair it with :func:`versus`. No module identity is involved:
    the yardstick is the built-in on every call, whatever the engine passes as ``impl``."""
    import types

    from .torchkit import value_and_grads

    run = value_and_grads(entry, wrt)
    yardstick = types.SimpleNamespace(**{entry: builtin})

    def call(impl, case) -> Versus:
        truth = run(yardstick, case.fresh())
        return Versus(run(impl, case), truth)

    return call


def versus(compare: Callable[[Any, Any], None], part: Callable[[Any], Any] | None = None) -> Callable:
    """The comparator for :func:`builtin_call`: ``compare(truth, got)`` on the attempt's own call
    (the reference's result, computed the same way, is not the yardstick). ``part`` picks what to
    compare (e.g. ``lambda r: r.value`` for the value only)."""
    pick = part or (lambda result: result)

    def compare_versus(_reference: Versus, attempt: Versus) -> None:
        compare(pick(attempt.truth), pick(attempt.got))

    return compare_versus
