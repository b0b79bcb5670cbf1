"""Generators for the whole promised input domain of the torch module katas.

The contract promises more than the three masks and one input rank graders used to try:

* an attention mask is any bool or 0/1 integer tensor broadcastable to ``(B, H, Tq, Tk)``:
  every shape of :data:`MASK_SHAPES`, in every dtype of :data:`MASK_DTYPES`, with no row that
  masks every key (checked on the compact shape: broadcasting only copies rows);
* a ``(..., d)`` input may have any number of leading dimensions: :func:`leading_shapes`.

Masks are random along every axis they have, so an attempt that reads a 2-D mask as key
padding or a 3-D mask as a batch computes something else (or cannot broadcast at all).
"""
from __future__ import annotations

from typing import Sequence

import torch

# Every integer dtype a 0/1 mask may come in, bool first.
MASK_DTYPES: tuple[torch.dtype, ...] = (torch.bool, torch.int64, torch.int32, torch.uint8, torch.int8)

# Shapes broadcastable to (B, H, Tq, Tk), written as the candidate reads them.
MASK_SHAPES: tuple[str, ...] = ("(Tk,)", "(1, Tk)", "(Tq, Tk)", "(H, Tq, Tk)", "(1, H, 1, Tk)",
                                "(B, 1, Tq, Tk)", "(B, 1, 1, Tk)", "(B, H, Tq, Tk)")


def dtype_name(dtype: torch.dtype) -> str:
    return str(dtype).replace("torch.", "")


def mask_shape(label: str, batch: int, heads: int, tq: int, tk: int) -> tuple[int, ...]:
    """The concrete shape of one of :data:`MASK_SHAPES`."""
    sizes = {"B": batch, "H": heads, "Tq": tq, "Tk": tk, "1": 1}
    return tuple(sizes[part.strip()] for part in label.strip("()").split(",") if part.strip())


def keep_a_key(mask: torch.Tensor, gen: torch.Generator | None = None) -> torch.Tensor:
    """``mask`` (bool) with a random key restored in every row that hides them all."""
    mask = mask.clone()
    empty = ~mask.any(dim=-1)
    if bool(empty.any()):
        rows = empty.nonzero(as_tuple=True)
        keys = torch.randint(mask.shape[-1], (len(rows[0]),), generator=gen)
        mask[rows + (keys,)] = True
    return mask


def random_mask(gen: torch.Generator, shape: Sequence[int], p: float = 0.6) -> torch.Tensor:
    """A bool mask of ``shape``, each entry True with probability ``p``, no row all False."""
    return keep_a_key(torch.rand(tuple(shape), generator=gen) < p, gen)


def causal(tq: int, tk: int | None = None) -> torch.Tensor:
    """``(Tq, Tk)`` bool: query i sees keys ≤ i (shifted right by Tk − Tq when Tk > Tq)."""
    tk = tq if tk is None else tk
    return torch.ones(tq, tk, dtype=torch.bool).tril(diagonal=tk - tq)


def as_dtype(mask: torch.Tensor, dtype: torch.dtype) -> torch.Tensor:
    return mask if dtype == torch.bool else mask.to(dtype)


def attention_masks(gen: torch.Generator, batch: int, heads: int, tq: int, tk: int, *,
                    with_causal: bool = True, shapes: Sequence[str] = MASK_SHAPES,
                    dtypes: Sequence[torch.dtype] = MASK_DTYPES, every_dtype: bool = False,
                    offset: int = 0) -> list[tuple[str, torch.Tensor]]:
    """Named masks ``("(H, Tq, Tk) int32", mask)`` covering every shape of ``shapes``.

    By default each shape comes in one dtype, the dtypes taken in turn from ``offset`` (so the
    eight shapes use all five dtypes and a grader's cost stays small); ``every_dtype`` gives
    each shape in every dtype. ``with_causal`` prepends a causal ``(Tq, Tk)`` mask (bool, and
    0/1 int64) for self-attention."""
    out: list[tuple[str, torch.Tensor]] = []
    if with_causal:
        c = causal(tq, tk)
        out += [("causal (Tq, Tk) bool", c), ("causal (Tq, Tk) int64", c.long())]
    for i, label in enumerate(shapes):
        mask = random_mask(gen, mask_shape(label, batch, heads, tq, tk))
        kinds = dtypes if every_dtype else [dtypes[(i + offset) % len(dtypes)]]
        out += [(f"{label} {dtype_name(d)}", as_dtype(mask, d)) for d in kinds]
    return out


def broadcast(mask: torch.Tensor, batch: int, heads: int, tq: int, tk: int) -> torch.Tensor:
    """The bool ``(B, H, Tq, Tk)`` view the contract means by a broadcastable mask."""
    return mask.bool().expand(batch, heads, tq, tk)


# --------------------------------------------------------------------------- (..., d) inputs
LEADING_SHAPES: tuple[tuple[int, ...], ...] = ((), (3,), (2, 3), (2, 1, 3))


def leading_shapes(max_rank: int = 4) -> list[tuple[int, ...]]:
    """Leading dimensions for a ``(..., d)`` input: rank 1 (a single vector) up to ``max_rank``,
    with a size-1 axis among them (a squeeze or a hard-coded ``x.shape[1]`` shows)."""
    return [s for s in LEADING_SHAPES if len(s) + 1 <= max_rank]


def any_rank_inputs(gen: torch.Generator, d: int, max_rank: int = 4) -> list[tuple[str, torch.Tensor]]:
    """Float64 inputs ``(d,)``, ``(3, d)``, ``(2, 3, d)``, ``(2, 1, 3, d)`` named by shape."""
    out = []
    for lead in leading_shapes(max_rank):
        shape = (*lead, d)
        out.append((f"x of shape {shape}", torch.randn(shape, generator=gen, dtype=torch.float64)))
    return out
