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


# ---------------------------------------------------------------- numeric ranges that matter
SMALL_INT_DTYPES = ("uint8", "int8", "uint16", "int16")


def small_int_array(rng, shp: Sequence[int], dtype: str):
    """Integers over the whole range of a small integer dtype: arithmetic in that dtype wraps
    (uint8 ``a - b``, int8 ``d * d``), so an attempt must convert before computing."""
    import numpy as np

    info = np.iinfo(np.dtype(dtype))
    return rng.integers(info.min, int(info.max) + 1, size=tuple(shp)).astype(np.dtype(dtype))


def float32_exp_overflow(rng, shp: Sequence[int]):
    """float32 logits of magnitude 89 to 709, where float32's ``exp`` overflows and float64's
    does not: half the rows spread over that range with mixed signs, half close together
    around one large offset (so the answer is not one-hot)."""
    import numpy as np

    shp = tuple(shp)
    spread = rng.uniform(89.0, 709.0, size=shp) * rng.choice([-1.0, 1.0], size=shp)
    offset = rng.uniform(89.0, 700.0, size=shp[:-1] + (1,)) * rng.choice([-1.0, 1.0], size=shp[:-1] + (1,))
    close_by = offset + 3.0 * rng.standard_normal(shp)
    pick = rng.random(shp[:-1] + (1,)) < 0.5
    return np.where(pick, spread, close_by).astype(np.float32)


def empty_array_likes() -> list:
    """Every kind of empty input an array-like contract takes: lists and arrays of each empty shape."""
    import numpy as np

    return [[], [[]], np.empty((0,)), np.empty((0, 3)), np.empty((3, 0)), np.empty((2, 0, 4)),
            np.zeros((0,), dtype=np.int64)]
