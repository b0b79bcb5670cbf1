import numpy as np

from harness.engine import Case, Grader, close
from harness.engine.gen import small_int_array

grader = Grader("roc_auc", forbidden=["sklearn"])
auc = close(kind="float")


def labels(rng, n, p_pos=0.5):
    y = (rng.random(n) < p_pos).astype(np.int64)
    y[0], y[-1] = 1, 0  # both classes present
    return y


@grader.cases("random scores without ties", compare=auc)
def no_ties(rng):
    yield Case(np.array([1, 0]), np.array([0.3, 0.7]))
    yield Case(np.array([1, 0, 1, 1, 0, 1]), np.array([0.9, 0.2, 0.8, 0.7, 0.3, 0.6])).named("statement example")
    for n in (2, 3, 5, 10, 50, 200, 1000):
        yield Case(labels(rng, n), rng.normal(size=n))


@grader.cases("tied scores count one half, whatever the order of the samples", compare=auc)
def ties(rng):
    yield Case(np.array([1, 0]), np.array([0.5, 0.5])).named("one tied pair")
    yield Case(np.array([1, 0, 1, 0, 1]), np.array([0.8, 0.8, 0.4, 0.4, 0.9])).named("statement example")
    yield Case(np.array([0, 1, 0, 1]), np.array([0.4, 0.4, 0.4, 0.4])).named("all scores equal")
    yield Case(np.array([1, 1, 0, 0, 1, 0]), np.array([0.2, 0.9, 0.2, 0.9, 0.5, 0.5]))
    for n, k in ((8, 2), (20, 3), (60, 2), (200, 5), (1000, 4), (1000, 50)):
        y, s = labels(rng, n), rng.integers(0, k, size=n).astype(np.float64)
        yield Case(y, s)
        order = np.lexsort((y, s))   # positives after negatives inside each tie group
        yield Case(y[order], s[order]).named("sorted by score, positives last in each tie")
        order = np.lexsort((-y, s))  # positives first
        yield Case(y[order], s[order]).named("sorted by score, positives first in each tie")


grader.cases("perfect ranking gives 1.0, inverted ranking gives 0.0", [
    Case(np.array([0, 0, 1, 0, 1, 1, 1]), np.array([0.1, 0.2, 0.7, 0.3, 0.8, 0.9, 0.75])),
    Case(np.array([0, 0, 1, 0, 1, 1, 1]), -np.array([0.1, 0.2, 0.7, 0.3, 0.8, 0.9, 0.75])),
    Case(np.array([1, 1, 0, 0]), np.array([5.0, 5.0, 1.0, 1.0])),
    Case(np.array([1, 1, 0, 0]), np.array([1.0, 1.0, 5.0, 5.0])),
], compare=auc)


@grader.cases("imbalanced classes: a single positive or a single negative", compare=auc)
def imbalanced(rng):
    yield Case(np.array([0, 0, 1, 0]), np.array([0.1, 0.5, 0.3, 0.2]))
    yield Case(np.array([1, 1, 0, 1]), np.array([0.1, 0.5, 0.3, 0.3]))
    for n in (10, 300):
        y = np.zeros(n, dtype=np.int64)
        y[rng.integers(n)] = 1
        yield Case(y, rng.integers(0, 5, size=n).astype(np.float64))
        yield Case(1 - y, rng.integers(0, 5, size=n).astype(np.float64))


@grader.cases("labels given as bool or float", compare=auc)
def label_types(rng):
    for dtype in (bool, np.float64):
        y, s = labels(rng, 100), rng.integers(0, 6, size=100).astype(np.float64)
        yield Case(y.astype(dtype), s)


@grader.cases("small integer dtypes: uint8 and int8 scores over their whole range, uint8/int8 labels",
              compare=auc)
def small_ints(rng):
    # -scores wraps in these dtypes (-uint8(1) is 255, -int8(-128) is -128): sort ascending,
    # or convert first.
    for n in (6, 40, 300):
        for score_dtype in ("uint8", "int8"):
            y = labels(rng, n)
            yield Case(y, small_int_array(rng, (n,), score_dtype))
            yield Case(y.astype(np.uint8), small_int_array(rng, (n,), score_dtype))
        yield Case(labels(rng, n).astype(np.int8), small_int_array(rng, (n,), "int16"))


grader.raises("ValueError when only one class is present", ValueError, [
    Case(np.array([0, 0, 0]), np.array([0.1, 0.2, 0.3])),
    Case(np.array([1, 1]), np.array([0.1, 0.2])),
    Case(np.array([1]), np.array([0.5])),
], why="AUC is undefined with one class")

grader.raises("ValueError when y_true and y_score differ in length", ValueError, [
    Case(np.array([0, 1, 0]), np.array([0.1, 0.2])),
    Case(np.array([0, 1]), np.array([0.1, 0.2, 0.3])),
], why="length mismatch")


def million(rng):
    n = 10**6
    return Case(labels(rng, n, 0.3), rng.integers(0, 1000, size=n).astype(np.float64)).named(
        "10^6 scores, 1000 distinct values")


grader.cases("10^6 scores with many ties (needs O(n log n))", lambda rng: [million(rng)], compare=auc)

grader.speed(million, label="10^6 scores")
