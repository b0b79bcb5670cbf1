import numpy as np

from harness.engine import Case, Grader, close
from harness.engine.gen import SMALL_INT_DTYPES, empty_array_likes, float_array, schedule, small_int_array

grader = Grader("mse")
a_float = close(kind="float")  # a Python or numpy float, never an array

grader.cases("the statement's examples: lists of floats and of ints", [
    Case([3, -0.5, 2, 7], [2.5, 0.0, 2, 8]),
    Case([1, 2, 3], [1, 2, 5]),
    Case([[1, 2], [3, 4]], [[0, 0], [0, 0]]),
], compare=a_float)


@grader.cases("lists of ints and floats, 1-D and 2-D", compare=a_float)
def lists(rng):
    for n in schedule(10, 30):
        yield Case(rng.integers(-9, 10, size=n).tolist(), rng.integers(-9, 10, size=n).tolist())
        yield Case(np.round(float_array(rng, (n,)), 3).tolist(), rng.integers(-2, 3, size=n).tolist())
        rows = int(rng.integers(1, 4))
        yield Case(np.round(float_array(rng, (rows, n)), 2).tolist(), np.round(float_array(rng, (rows, n)), 2).tolist())


@grader.cases("one float for 2-D arrays: the mean over every entry (float and int arrays)", compare=a_float)
def arrays_2d(rng):
    yield Case(np.array([[1.0, 2.0], [3.0, 4.0]]), np.zeros((2, 2)))
    for n in schedule(10, 40, min_size=2):
        shp = (n, int(rng.integers(1, 6)))
        yield Case(float_array(rng, shp), float_array(rng, shp, scale=2.0))
        yield Case(rng.integers(-100, 100, size=shp), rng.integers(-100, 100, size=shp))


@grader.cases("1-D arrays, and a list against an array", compare=a_float)
def arrays_1d(rng):
    for n in schedule(10, 100):
        yield Case(float_array(rng, (n,)), float_array(rng, (n,), loc=1.0))
        yield Case(rng.integers(0, 5, size=n).tolist(), float_array(rng, (n,)))


@grader.cases("small integer arrays (uint8, int8, uint16, int16) over their whole range: no wrap-around",
              compare=a_float)
def small_ints(rng):
    # uint8 a - b wraps below 0 and int8/int16 d * d overflows: convert before subtracting.
    for n in (3, 8, 50):
        for dtype in SMALL_INT_DTYPES:
            yield Case(small_int_array(rng, (n,), dtype), small_int_array(rng, (n,), dtype))
    yield Case(small_int_array(rng, (4, 5), "uint8"), small_int_array(rng, (4, 5), "uint8"))


grader.raises("different shapes raise ValueError, no broadcasting ((n,) vs (n, 1))", ValueError, [
    Case(np.array([1.0, 2.0, 3.0]), np.array([[1.5], [2.0], [2.5]])),
    Case(np.array([[1.0], [2.0], [3.0]]), np.array([1.5, 2.0, 2.5])),
    Case([1, 2, 3], [[1], [2], [4]]),
    Case(np.array([1.0, 2.0, 3.0]), np.array([1.0, 2.0, 3.0, 4.0])),
    Case(np.arange(6.0).reshape(2, 3), np.arange(6.0).reshape(3, 2)),
], why="the shapes differ")

grader.raises("empty input raises ValueError (every empty shape: [], [[]], (0, 3), (3, 0), …)", ValueError,
              [Case(e, e) for e in empty_array_likes()], why="no entries to average")

grader.speed(lambda rng: Case(float_array(rng, (1000, 1000)), float_array(rng, (1000, 1000))),
             label="two 1000 × 1000 arrays")
