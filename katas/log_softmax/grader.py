import numpy as np

from harness.engine import Case, Grader, close
from harness.engine.compare import first_match, scaled_to_input
from harness.engine.gen import arrays, axes_of, float32_exp_overflow, float_array, schedule, shape

grader = Grader("log_softmax", forbidden=["scipy.special.*", "scipy.special", "torch"])
same = close(kind="array")  # contract tolerances by dtype; same shape and dtype



def unshifted(case, got):
    """Names the missing max shift, recognised by its output (overflow or lost precision)."""
    x, axis = case.args[0], case.kwargs.get("axis", -1)
    with np.errstate(all="ignore"):
        plain = x - np.log(np.sum(np.exp(x), axis=axis, keepdims=True))
    return first_match(got, {
        "log(sum(exp(x))) was computed without subtracting each row's maximum first: float32's exp "
        "overflows above 88.7 and underflows below -103": plain}, rtol=1e-6, atol=1e-7)


grader.cases("[0, -1000] gives [0, -1000], not -inf (never take the log of a softmax)", [
    Case(np.array([0.0, -1000.0])),
    Case(np.array([-1000.0, 0.0, -1000.0])),
    Case(np.array([0.0, -1000.0], dtype=np.float32)),
], compare=same)


@grader.cases("each row is normalised on its own (2-D input, default axis)", compare=same, simplify=True)
def rows(rng):
    yield Case(np.array([[0.0, -1000.0], [-1000.0, 0.0]]))
    for size in schedule(12, 8, min_size=2):
        yield Case(float_array(rng, (size, int(rng.integers(2, 9))), scale=2.0))


grader.cases("logits of ±1e4 do not overflow", [
    Case(np.array([1e4, -1e4, 0.0])),
    Case(np.array([1000.0, 1000.0])),
    Case(np.array([-1e4, -1e4 + 1.0])),
    Case(np.array([1e4, 0.5e4, 0.0], dtype=np.float32)),
], compare=same)


@grader.cases("each row gets its own shift (rows of very different scale)", compare=same)
def mixed_scales(rng):
    yield Case(np.array([[0.1, 0.2, 0.3], [1e4, 1e4 - 1.0, 1e4 - 3.0]]))
    yield Case(np.array([[1.0, 2.0], [-1e4, -1e4 + 1.0]]))
    for _ in range(8):
        yield Case(float_array(rng, (4, 6)) + rng.choice([-1e4, 0.0, 1e4], size=(4, 1)))


@grader.cases("normalises along the given axis (axis=0, other positive and negative axes)", compare=same,
              simplify=True)
def other_axes(rng):
    yield Case(float_array(rng, (5,)), axis=0)
    for size in schedule(12, 6, min_size=2):
        ndim = int(rng.choice([2, 3]))
        axis = int(rng.choice([a for a in axes_of(ndim) if a not in (-1, ndim - 1)]))
        yield Case(float_array(rng, shape(rng, ndim, size), scale=2.0), axis=axis)
    yield Case(np.array([[0.0, 1e4], [1.0, 1e4 + 1.0]]), axis=0)  # columns of very different scale


@grader.cases("agrees with log_softmax on random arrays, every axis, float64 and float32", compare=same,
              simplify=True)
def random_arrays(rng):
    for x in arrays(rng, count=60, ndims=(1, 2, 3), dtypes=("float64", "float32"), max_side=7, scale=5.0):
        yield Case(x, axis=int(rng.choice(axes_of(x.ndim))))


@grader.cases("float32 logits of magnitude 89 to 709 (float32 exp overflows there, float64's does not)",
              compare_for=lambda case: scaled_to_input(case.args[0], kind="array"), explain=unshifted)
def float32_overflow_range(rng):
    for size in schedule(16, 8, min_size=2):
        shp = (size,) if rng.random() < 0.4 else (int(rng.integers(1, 4)), size)
        yield Case(float32_exp_overflow(rng, shp), axis=int(rng.choice(axes_of(len(shp)))))


grader.speed(lambda rng: Case(float_array(rng, (2000, 1000))), label="a 2000 × 1000 array")
