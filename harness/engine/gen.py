"""Case generation: small-to-large schedules of random inputs.

Graders yield cases from small to large so that the first failing case the engine meets is
(nearly) the smallest. Everything draws from the check's seeded ``rng``.
"""
from __future__ import annotations

from typing import Iterator, Sequence


def schedule(count: int, max_size: int, min_size: int = 1) -> list[int]:
    """``count`` sizes growing from ``min_size`` to ``max_size`` (each small size tried first)."""
    if count <= 1:
        return [max_size]
    return [min_size + round((max_size - min_size) * (i / (count - 1)) ** 2) for i in range(count)]


def shape(rng, ndim: int, size: int) -> tuple[int, ...]:
    """A random shape of ``ndim`` sides, each between 1 and ``size``."""
    return tuple(int(rng.integers(1, size + 1)) for _ in range(ndim))


def float_array(rng, shp: Sequence[int], dtype: str = "float64", scale: float = 1.0, loc: float = 0.0):
    import numpy as np

    return (loc + scale * rng.standard_normal(tuple(shp))).astype(np.dtype(dtype))


def arrays(rng, count: int = 60, ndims: Sequence[int] = (1, 2, 3), dtypes: Sequence[str] = ("float64",),
           max_side: int = 8, scale: float = 1.0) -> Iterator:
    """Random float arrays, small to large, cycling through ``ndims`` and ``dtypes``."""
    for i, size in enumerate(schedule(count, max_side)):
        ndim = ndims[i % len(ndims)]
        dtype = dtypes[(i // len(ndims)) % len(dtypes)]
        yield float_array(rng, shape(rng, ndim, size), dtype, scale)


def row_shapes(rng, count: int, max_size: int) -> Iterator[tuple[int, ...]]:
    """Shapes ``(n,)`` or ``(rows, n)`` (rows 1 to 4), n growing small to large."""
    for n in schedule(count, max_size):
        yield (n,) if rng.random() < 0.5 else (int(rng.integers(1, 5)), n)


def log_sweep(lo_exp: float, hi_exp: float, per_decade: int = 4) -> list[float]:
    """``10**lo_exp`` to ``10**hi_exp``, ``per_decade`` values per factor of ten."""
    steps = int(round((hi_exp - lo_exp) * per_decade))
    return [10.0 ** (lo_exp + i / per_decade) for i in range(steps + 1)]


def axes_of(ndim: int) -> list[int]:
    """Every valid axis of an ``ndim``-array, positive and negative."""
    return list(range(ndim)) + list(range(-ndim, 0))
