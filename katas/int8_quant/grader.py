import numpy as np

from harness.engine import Case, Fail, Grader, close
from harness.engine.compare import first_match
from harness.engine.exact import exact_int_array
from harness.engine.gen import axes_of, schedule, shape
from harness.engine.show import short, type_name

grader = Grader(["quantize_int8", "dequantize_int8", "int8_matmul"], forbidden=["torch"])
scale_float = close(rtol=1e-6, atol=0.0, kind="float", what="scale")
scale_array = close(rtol=1e-6, atol=0.0, kind="array", what="scales")
matmul_close = close(rtol=1e-9, atol=0.0, kind="array")


# ------------------------------------------------------------------ quantize: call and compare
class Quantized:
    """What quantize_int8 returned, with the input it was given (to find rounding-ambiguous entries)."""

    def __init__(self, out, w):
        self.out, self.w = out, np.asarray(w, dtype=np.float64)


def quantize(impl, case):
    return Quantized(impl.quantize_int8(*case.args, **case.kwargs), case.args[0])


def near_half(w, scale):
    """Entries whose w / scale lies within 1e-3 of a half-integer without being one: the
    contract accepts either neighbour there (float64 division may land on either side)."""
    r = np.abs(w / scale)
    off = np.abs(r - np.floor(r) - 0.5)
    return (off < 1e-3) & (off != 0)


def same_quantization(expected: Quantized, got: Quantized) -> None:
    out = got.out
    if not (isinstance(out, tuple) and len(out) == 2):
        raise Fail(f"quantize_int8 should return a tuple (q, scale), got {type_name(out)}", got=short(out))
    (q_exp, s_exp), (q, s) = expected.out, out
    if isinstance(s_exp, float):
        if isinstance(s, np.ndarray) and s.shape == () and s.dtype == np.float64:
            s = s[()]  # a 0-d float64 array is "a float"
        if isinstance(s, (np.floating, np.integer)) and not isinstance(s, np.float64):
            raise Fail(f"axis=None: the scale should be one float64 value, got {type_name(s)} {s!r}")
        scale_float(s_exp, s)
    else:
        scale_array(s_exp, s)
    exact_int_array("entries of q", dtype="int8", allow=lambda e, g: near_half(expected.w, s_exp))(q_exp, q)


def named_quantize_mistake(case, got: Quantized):
    w = np.asarray(case.args[0], dtype=np.float64)
    axis = case.kwargs.get("axis")
    out = got.out if isinstance(got, Quantized) else None
    if not (isinstance(out, tuple) and len(out) == 2):
        return None
    q, s = out
    if axis is None:
        amax = np.max(np.abs(w))
        over_axis = None
    else:
        amax = np.max(np.abs(w), axis=tuple(i for i in range(w.ndim) if i != axis % w.ndim), keepdims=True)
        over_axis = np.max(np.abs(w), axis=axis, keepdims=True) / 127
    scale = np.where(amax > 0, amax / 127, 1.0)
    try:
        qf = np.asarray(q, dtype=np.float64)
        sf = np.asarray(s, dtype=np.float64)
    except (TypeError, ValueError):
        return None
    if np.any(amax == 0) and (np.any(np.isnan(sf)) or np.any(sf == 0)):
        return ("a zero tensor or slice needs scale exactly 1.0 (and q = 0); yours divides 0 by 0 "
                "(scale 0, NaN)")
    if over_axis is not None and sf.shape == over_axis.shape and (
            sf.shape != scale.shape or np.allclose(sf, over_axis, rtol=1e-6, atol=0)):
        return ("you took the max over `axis`; `axis` is the channel axis that is KEPT (one scale per index "
                "along it, the max over every other axis)")
    with np.errstate(all="ignore"):
        message = first_match(sf, {
            "the scale is max|w| / 128 with the range [-128, 127]; int8 absmax is symmetric: "
            "max|w| / 127 and q in [-127, 127]": np.where(amax > 0, amax / 128, 1.0)}, rtol=1e-6, atol=0)
        if message:
            return message
        ratio = w / scale
        q_suspects = {
            "q is truncated toward zero (astype(int8) without rounding); round to the nearest integer, "
            "exact halves to even (np.rint)": np.trunc(ratio),
            "exact halves are rounded up; the contract rounds half to even (np.rint / np.round)": np.floor(ratio + 0.5),
            "exact halves are rounded away from zero; the contract rounds half to even (np.rint / np.round)":
                np.sign(ratio) * np.floor(np.abs(ratio) + 0.5),
        }
    return first_match(qf, q_suspects, rtol=0, atol=0)


quantized = dict(call=quantize, compare=same_quantization, entry="quantize_int8", explain=named_quantize_mistake)


# ------------------------------------------------------------------ inputs
def weights(rng, count, max_side, heavy=False):
    """Float64 and float32 tensors of 1-3 dims (size-1 axes included), small to large."""
    for i, size in enumerate(schedule(count, max_side)):
        shp = shape(rng, 1 + i % 3, size)
        if i % 5 == 3:
            shp = shp[:-1] + (1,)
        w = rng.standard_t(2, size=shp) if heavy else rng.standard_normal(shp) * rng.choice([0.01, 1.0, 30.0])
        yield w.astype(np.float32 if i % 2 else np.float64)


@grader.cases("axis=None: q (int8, w's shape) and one float scale (the largest |w| maps to 127), float64 "
              "and float32 w of 1-3 dims", **quantized)
def per_tensor(rng):
    yield Case(np.array([1.0, -2.0, 0.5]))
    for w in weights(rng, 24, 9):
        yield Case(w)


@grader.cases("per channel: one scale per index of the kept `axis` (every axis, negative too), max over the "
              "other axes, shape with size 1 elsewhere", **quantized)
def per_channel(rng):
    yield Case(np.array([[1.0, -2.0, 0.5], [0.25, 4.0, -8.0]]), axis=0)
    yield Case(np.array([[1.0, -2.0, 0.5], [0.25, 4.0, -8.0]]), axis=1)
    yield Case(np.array([3.0, -1.0, 0.5]), axis=0)
    for w in weights(rng, 30, 8):
        yield Case(w, axis=int(rng.choice(axes_of(w.ndim))))


grader.cases("exact halves round to even (scale 1, and per-channel scales 2 and 0.5)", [
    Case(np.array([0.5, 1.5, 2.5, -2.5, -0.5, 3.5, 127.0])).named("scale 1"),
    Case(np.array([[5.0, 3.0, -7.0, 1.0, 254.0], [1.25, 0.75, -0.25, -1.75, 63.5]]), axis=0)
    .named("row scales 2 and 0.5"),
    Case(np.array([[5.0, 1.25], [3.0, 0.75], [-7.0, -0.25], [254.0, 63.5]], dtype=np.float32), axis=-1)
    .named("column scales 2 and 0.5, float32"),
], **quantized)


@grader.cases("heavy-tailed weights (a few large outliers)", **quantized)
def heavy(rng):
    for i, w in enumerate(weights(rng, 12, 10, heavy=True)):
        yield Case(w) if i % 2 else Case(w, axis=int(rng.choice(axes_of(w.ndim))))


grader.cases("a zero tensor, zero rows, columns and channels get scale exactly 1.0 and q = 0 (no NaN)", [
    Case(np.zeros(4)),
    Case(np.zeros((2, 3)), axis=1),
    Case(np.array([[0.0, 0.0, 0.0], [1.0, -2.0, 3.0]]), axis=0).named("a zero row"),
    Case(np.array([[0.0, 1.0], [0.0, -2.0]], dtype=np.float32), axis=-1).named("a zero column"),
    Case(np.array([[[0.0, 0.0], [0.0, 0.0]], [[1.0, 0.0], [0.0, 2.0]]]), axis=0).named("a zero channel"),
    Case(np.zeros((2, 1, 3), dtype=np.float32)),
], **quantized)


@grader.property("dequantize(q, scale) is q · scale in float64, within scale / 2 of w")
def round_trip(ctx):
    for w in weights(ctx.rng, 16, 8):
        for axis in (None, int(ctx.rng.choice(axes_of(w.ndim)))):
            q, scale = ctx.ref.quantize_int8(w, axis=axis)
            got = ctx.attempt.dequantize_int8(q.copy(), np.copy(scale) if axis is not None else scale)
            case = f"dequantize_int8(q, scale) for q, scale = quantize_int8({short(w, 120)}, axis={axis})"
            try:
                close(kind="array", what="values")(ctx.ref.dequantize_int8(q, scale), got)
            except Fail as fail:
                fail.case = case
                raise
            if np.any(np.abs(w.astype(np.float64) - got) > np.asarray(scale) / 2 * (1 + 1e-9)):
                raise Fail("|w − dequantize(q, scale)| exceeds scale / 2", case=case)


# ------------------------------------------------------------------ int8_matmul
def int8(rng, shp, near_max=False):
    if near_max:  # one sign per row: every product of a row pair has the same sign, |sums| near 6.6e7
        return (rng.choice([-1, 1], size=(shp[0], 1)) * rng.integers(120, 128, size=shp)).astype(np.int8)
    return rng.integers(-127, 128, size=shp).astype(np.int8)


def matmul_case(rng, M, N, K, near_max=False, unit=False):
    xs = np.ones((M, 1)) if unit else rng.uniform(0.001, 0.1, size=(M, 1))
    ws = np.ones((N, 1)) if unit else rng.uniform(0.001, 0.1, size=(N, 1))
    return Case(int8(rng, (M, K), near_max), xs, int8(rng, (N, K), near_max), ws)


def named_matmul_mistake(case, got):
    xq, xs, wq, ws = case.args
    exact = xq.astype(np.int64) @ wq.astype(np.int64).T
    with np.errstate(all="ignore"):
        return first_match(got, {
            "the products are summed in int8 and wrap around; accumulate in int32/int64 (or float64)":
                (xq @ wq.T).astype(np.float64) * xs * ws.T,
            "the products are summed in int16 and wrap around; accumulate in int32/int64 (or float64)":
                (xq.astype(np.int16) @ wq.astype(np.int16).T).astype(np.float64) * xs * ws.T,
            "the sums are accumulated in float32, which rounds above 2**24; accumulate in int32/int64 or "
            "float64": (xq.astype(np.float32) @ wq.astype(np.float32).T).astype(np.float64) * xs * ws.T,
            "w_scale is applied along the wrong axis: out[i, j] uses w_scale[j, 0] (transpose it to (1, N))":
                exact * xs * ws if ws.shape[0] == xs.shape[0] else None,
        }, rtol=1e-9, atol=0)


matmul = dict(compare=matmul_close, entry="int8_matmul", explain=named_matmul_mistake)


@grader.cases("int8_matmul on small shapes, M ≠ N and M = N (each scale on its own axis)",
              **matmul)
def matmul_small(rng):
    for M, N, K in ((1, 1, 1), (2, 2, 3), (2, 3, 4), (3, 2, 5), (4, 4, 8), (5, 7, 16), (8, 3, 64)):
        yield matmul_case(rng, M, N, K)


@grader.cases("int8_matmul with unit scales gives the exact integer sums", **matmul)
def matmul_unit(rng):
    for M, N, K in ((2, 3, 4), (3, 3, 300), (4, 2, 4096)):
        yield matmul_case(rng, M, N, K, near_max=True, unit=True)


@grader.cases("int8_matmul sums exactly with K = 4096 and entries near ±127 (sums near 6.6e7)", **matmul)
def matmul_large(rng):
    yield Case(np.full((2, 4096), 127, dtype=np.int8), np.array([[0.5], [0.01]]),
               np.full((3, 4096), -127, dtype=np.int8), np.array([[0.02], [1.0], [0.003]])).named("all ±127")
    for M, N in ((3, 5), (6, 6), (8, 4)):
        yield matmul_case(rng, M, N, 4096, near_max=True)


def quantize_then_matmul(impl, case):
    x, w = case.args
    return impl.int8_matmul(*impl.quantize_int8(x, axis=0), *impl.quantize_int8(w, axis=0))


def unambiguous(rng, rows, cols):
    """Random rows whose entries divided by the row scale stay 0.05 away from every half-integer
    (so every correct quantizer gives the same q), each row's max |entry| exactly 127 · scale."""
    scale = rng.uniform(0.001, 0.1, size=(rows, 1))
    q = rng.integers(-126, 127, size=(rows, cols)) + rng.uniform(-0.45, 0.45, size=(rows, cols))
    q[np.arange(rows), rng.integers(0, cols, size=rows)] = rng.choice([-127.0, 127.0], size=rows)
    return q * scale


@grader.cases("quantize_int8(·, axis=0) feeds int8_matmul end to end (per-row scales (M, 1) and (N, 1))",
              call=quantize_then_matmul, compare=matmul_close, entry="int8_matmul")
def end_to_end(rng):
    for M, N, K in ((1, 2, 3), (2, 3, 8), (4, 6, 64), (8, 8, 512)):
        yield Case(unambiguous(rng, M, K), unambiguous(rng, N, K))


grader.speed(lambda rng: matmul_case(rng, 32, 128, 1024), entry="int8_matmul",
             label="int8_matmul of (32, 1024) by (128, 1024)")
