import numpy as np

from harness.engine import Case, Grader, close
from harness.engine.gen import float_array, row_shapes, schedule

grader = Grader("bce_with_logits", forbidden=["torch"])
a_float = close(kind="float")


grader.cases("the statement's example: label 1 with logit -1000 costs 1000", [
    Case(np.array([1, 0, 1]), np.array([2.0, -1.0, -1000.0])),
], compare=a_float)


@grader.cases("hard labels (int and float arrays, 1-D and 2-D) with moderate logits", compare=a_float,
              simplify=True)
def hard_labels(rng):
    for i, shp in enumerate(row_shapes(rng, 16, 50)):
        y = rng.integers(0, 2, size=shp)
        yield Case(y if i % 2 else y.astype(np.float64), float_array(rng, shp, scale=3.0))


@grader.cases("soft labels in [0, 1]", compare=a_float)
def soft_labels(rng):
    yield Case(np.array([0.25, 0.75]), np.array([0.0, 0.0]))
    for shp in row_shapes(rng, 12, 50):
        yield Case(rng.uniform(size=shp), float_array(rng, shp, scale=3.0))


@grader.cases("saturated logits up to ±1e4 give the exact loss (no clipping, no inf)", compare=a_float)
def saturated(rng):
    for z in (40.0, 100.0, 1000.0, 1e4):
        for y in (1.0, 0.0):
            yield Case(np.array([y]), np.array([-z])).named(f"label {y:g}, logit -{z:g}")
            yield Case(np.array([y]), np.array([z])).named(f"label {y:g}, logit +{z:g}")
    yield Case(np.array([0.25, 0.7]), np.array([1e4, -1e3])).named("soft labels")
    for n in schedule(6, 40):
        yield Case(rng.uniform(size=n), rng.choice([-1e4, -1e3, 1e3, 1e4], size=n) + float_array(rng, (n,)))
        yield Case(rng.integers(0, 2, size=n).astype(np.float64), float_array(rng, (n,), scale=1000.0))


grader.speed(lambda rng: Case(rng.integers(0, 2, size=10**6).astype(np.float64), float_array(rng, (10**6,), scale=5.0)),
             label="10^6 entries")
