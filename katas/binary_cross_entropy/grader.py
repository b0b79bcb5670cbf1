import numpy as np

from harness.engine import Case, Grader, close
from harness.engine.gen import row_shapes

grader = Grader("binary_cross_entropy")
a_float = close(kind="float")
# At predictions of exactly 0 and 1 the contract allows a slightly different eps placement.
at_the_ends = close(rtol=1e-4, kind="float")


def probs(rng, shape):
    return rng.uniform(0.01, 0.99, size=shape)


grader.cases("the statement's example: (-log 0.9 - log 0.9 - log 0.8) / 3", [
    Case(np.array([1, 0, 1]), np.array([0.9, 0.1, 0.8])),
], compare=a_float)


@grader.cases("the mean over every entry, hard labels (int and float arrays, 1-D and 2-D)", compare=a_float)
def hard_labels(rng):
    for i, shp in enumerate(row_shapes(rng, 16, 50)):
        y = rng.integers(0, 2, size=shp)
        yield Case(y if i % 2 else y.astype(np.float64), probs(rng, shp))


@grader.cases("soft labels in [0, 1]", compare=a_float)
def soft_labels(rng):
    yield Case(np.array([0.25, 0.75]), np.array([0.5, 0.5]))
    for shp in row_shapes(rng, 12, 50):
        yield Case(rng.uniform(size=shp), probs(rng, shp))


grader.cases("predictions of exactly 0 and 1 give a finite loss (clipped to [eps, 1 - eps])", [
    Case(np.array([1.0, 0.0]), np.array([0.0, 1.0])).named("both maximally wrong"),
    Case(np.array([1.0]), np.array([0.0])),
    Case(np.array([0.0]), np.array([1.0])),
    Case(np.array([1.0, 0.0]), np.array([1.0, 0.0])).named("both exactly right"),
    Case(np.array([0.3, 0.7, 1.0, 0.0]), np.array([0.0, 1.0, 0.0, 1.0])).named("soft labels"),
    Case(np.array([[1, 0, 1], [0, 1, 0]]), np.array([[0.0, 1.0, 0.5], [0.2, 1.0, 0.0]])),
], compare=at_the_ends)

grader.cases("the eps argument sets the clip range [eps, 1 - eps]", [
    Case(np.array([1.0, 0.0]), np.array([0.0, 1.0]), eps=1e-3),
    Case(np.array([1.0, 1.0, 0.0, 0.0, 0.4, 0.6]), np.array([0.0, 1e-4, 1.0, 1 - 1e-4, 0.3, 5e-4]), eps=1e-3),
    Case(np.array([1.0, 0.0, 0.5]), np.array([0.0, 1.0, 0.2]), eps=1e-7),
], compare=at_the_ends)

def banded(rng, shape, eps):
    """Predictions below eps, above 1 - eps and in between (exact 0 and 1 included)."""
    band = rng.integers(0, 3, size=shape)
    p = np.choose(band, [rng.uniform(0, eps, shape), rng.uniform(1 - eps, 1, shape), rng.uniform(eps, 1 - eps, shape)])
    p.flat[0], p.flat[-1] = 0.0, 1.0
    return p


@grader.cases("eps = 1e-2: predictions clipped to [eps, 1 - eps] on both sides, not shifted by eps",
              compare=a_float)
def wide_eps(rng):
    # At eps = 1e-15 clipping, adding eps and clipping one side only agree to ~1e-15; at 1e-2
    # they differ by about 1%.
    yield Case(np.array([1.0, 0.0]), np.array([1.0, 0.0]), eps=1e-2).named("both exactly right")
    yield Case(np.array([1.0, 0.0, 1.0, 0.0]), np.array([0.995, 0.004, 0.5, 0.5]), eps=1e-2)
    for i, shp in enumerate(row_shapes(rng, 8, 40)):
        y = rng.integers(0, 2, size=shp).astype(np.float64) if i % 2 else rng.uniform(size=shp)
        yield Case(y, banded(rng, shp, 1e-2), eps=1e-2)


@grader.cases("float32 predictions (exactly 0 and 1 included) and uint8/int8 labels: finite and exact",
              compare=at_the_ends)
def other_dtypes(rng):
    # 1 - 1e-15 rounds to 1.0 in float32: clipping a float32 y_pred keeps 1.0, and log(1 - 1.0)
    # is -inf. Compute in float64. (Exact 0 and 1 present: the contract's rtol of 1e-4 there.)
    yield Case(np.array([0, 1], dtype=np.uint8), np.array([1.0, 0.0], dtype=np.float32)).named("both maximally wrong")
    for i, shp in enumerate(row_shapes(rng, 8, 40)):
        y = rng.integers(0, 2, size=shp).astype(("uint8", "int8", "float64")[i % 3])
        p = probs(rng, shp)
        p.flat[0], p.flat[-1] = 1.0 - y.flat[0], 1.0 - y.flat[-1]
        yield Case(y, p.astype(np.float32))


grader.raises("different shapes raise ValueError, no broadcasting ((n,) vs (n, 1))", ValueError, [
    Case(np.array([1.0, 0.0, 1.0]), np.array([[0.9], [0.2], [0.7]])),
    Case(np.array([[1.0], [0.0], [1.0]]), np.array([0.9, 0.2, 0.7])),
    Case(np.array([1.0, 0.0, 1.0]), np.array([0.9, 0.2])),
], why="the shapes differ")

grader.speed(lambda rng: Case(rng.integers(0, 2, size=10**6).astype(np.float64), probs(rng, 10**6)),
             label="10^6 entries")
