import numpy as np

from harness.engine import Case, Grader, close
from harness.engine.compare import first_match
from harness.engine.gen import arrays, axes_of, float32_exp_overflow, float_array, schedule

grader = Grader("softmax", forbidden=["scipy.special.*", "scipy.special", "torch"])
same = close(kind="array")  # contract tolerances by dtype; same shape and dtype


def named_mistake(case, got):
    """The seed's mistake, recognised by its output: one maximum for the whole array."""
    x, axis = case.args[0], case.kwargs.get("axis", -1)
    with np.errstate(all="ignore"):
        e = np.exp(x - np.max(x))
        global_max = e / e.sum(axis=axis, keepdims=True)
        naive = np.exp(x) / np.exp(x).sum(axis=axis, keepdims=True)
    return first_match(got, {
        "you subtracted one maximum for the whole array; subtract each row's own maximum "
        "(np.max(x, axis=axis, keepdims=True)), or rows far below the global maximum underflow to 0/0": global_max,
        "exp(x) overflowed or underflowed: subtract each row's maximum before exponentiating": naive,
    })


@grader.cases("agrees with softmax on random arrays, every axis, float64 and float32", compare=same,
              simplify=True)
def random_arrays(rng):
    for x in arrays(rng, count=80, ndims=(1, 2, 3), dtypes=("float64", "float32"), max_side=7, scale=3.0):
        yield Case(x, axis=int(rng.choice(axes_of(x.ndim))))


grader.cases("logits of ±1e4 do not overflow", [
    Case(np.array([1e4, -1e4, 0.0])),
    Case(np.array([[1e4, 1e4 - 1.0], [-1e4, -1e4 + 2.0]])),
    Case(np.array([1e4, 0.5e4], dtype=np.float32)),
], compare=same, explain=named_mistake)


@grader.cases("normalises each row by its own maximum (rows of very different scale)", compare=same,
              explain=named_mistake)
def mixed_scales(rng):
    yield Case(np.array([[0.0, 1.0, 2.0], [1000.0, 1001.0, 1002.0]]))
    yield Case(np.array([[1.0, 2.0], [-1000.0, -999.0]]), axis=-1)
    yield Case(np.array([[0.0, 1000.0], [1.0, 1001.0]]), axis=0)
    for _ in range(10):
        x = float_array(rng, (4, 6)) + rng.choice([-1000.0, 0.0, 1000.0], size=(4, 1))
        yield Case(x)


grader.cases("-inf entries get probability 0", [
    Case(np.array([0.0, -np.inf, 1.0])),
    Case(np.array([[-np.inf, 2.0, 3.0], [1.0, -np.inf, -np.inf]])),
    Case(np.array([[-np.inf, 0.0], [5.0, 1.0]], dtype=np.float32), axis=0),
], compare=same)

@grader.cases("float32 logits of magnitude 89 to 709 (float32 exp overflows there, float64's does not)",
              compare=same, explain=named_mistake)
def float32_overflow_range(rng):
    for size in schedule(16, 8, min_size=2):
        shp = (size,) if rng.random() < 0.4 else (int(rng.integers(1, 4)), size)
        yield Case(float32_exp_overflow(rng, shp), axis=int(rng.choice(axes_of(len(shp)))))


grader.speed(lambda rng: Case(float_array(rng, (2000, 1000))), label="a 2000 × 1000 array")
