import numpy as np

from harness.engine import Case, Grader, close
from harness.engine import deadline
from harness.engine.compare import first_match

grader = Grader("conv2d", forbidden=["torch", "scipy.signal", "scipy.ndimage"])
same = close(kind="array", what="output values")

STRIDES = (1, 2, 3, (2, 1), (1, 3))
PADDINGS = (0, 1, 2, (1, 0), (0, 2))
DILATIONS = (1, 2, (2, 1), (1, 2))


def pair(v):
    return (v, v) if isinstance(v, int) else tuple(v)


def out_size(size, k, s, p, d):
    return (size + 2 * p - d * (k - 1) - 1) // s + 1


def correlate(x, w, stride, padding, dilation, pad_sides=(True, True)):
    """A plain cross-correlation for naming mistakes (the suspects below); one einsum per kernel offset.
    pad_sides: pad (before, after) each spatial axis."""
    (sh, sw), (ph, pw), (dh, dw) = pair(stride), pair(padding), pair(dilation)
    before, after = pad_sides
    xp = np.pad(x, ((0, 0), (0, 0), (ph * before, ph * after), (pw * before, pw * after)))
    kh, kw = w.shape[2:]
    ho = (xp.shape[2] - dh * (kh - 1) - 1) // sh + 1
    wo = (xp.shape[3] - dw * (kw - 1) - 1) // sw + 1
    if ho < 1 or wo < 1:
        return None
    out = np.zeros((x.shape[0], w.shape[0], ho, wo))
    for a in range(kh):
        for b in range(kw):
            patch = xp[:, :, a * dh:a * dh + sh * (ho - 1) + 1:sh, b * dw:b * dw + sw * (wo - 1) + 1:sw]
            out += np.einsum("nchw,fc->nfhw", patch, w[:, :, a, b])
    return out


def named_mistake(case, got):
    """Name the classic mistake behind a wrong output, by its values or by its shape."""
    x, w = case.args[0], case.args[1]
    bias = case.args[2] if len(case.args) > 2 else case.kwargs.get("bias")
    s, p, d = (case.kwargs.get(k, 1 if k != "padding" else 0) for k in ("stride", "padding", "dilation"))
    (sh, sw), (ph, pw), (dh, dw) = pair(s), pair(p), pair(d)
    (h, wd), (kh, kw) = x.shape[2:], w.shape[2:]
    right = (out_size(h, kh, sh, ph, dh), out_size(wd, kw, sw, pw, dw))
    shape = tuple(getattr(got, "shape", ()))[2:]
    if len(shape) == 2 and shape != right:
        sizes = {
            "the output size is off with dilation: Ho = ⌊(H + 2·ph − dh·(kh − 1) − 1)/sh⌋ + 1":
                [((h + 2 * ph - dh * kh) // sh + 1, (wd + 2 * pw - dw * kw) // sw + 1),
                 ((h + 2 * ph - dh * (kh - 1)) // sh + 1, (wd + 2 * pw - dw * (kw - 1)) // sw + 1)],
            "dilation is ignored in the output size (a dilated kernel spans dh·(kh − 1) + 1 rows)":
                [(out_size(h, kh, sh, ph, 1), out_size(wd, kw, sw, pw, 1))],
            "the padding is applied on one side only; pad ph rows at the top and at the bottom (pw columns "
            "left and right)": [((h + ph - dh * (kh - 1) - 1) // sh + 1, (wd + pw - dw * (kw - 1) - 1) // sw + 1)],
            "the (h, w) tuples are read in the wrong order: the first entry applies to the height":
                [(out_size(h, kh, sw, pw, dw), out_size(wd, kw, sh, ph, dh))],
        }
        for message, candidates in sizes.items():
            if shape in candidates:
                return f"{message} (your output is {shape[0]} × {shape[1]}, expected {right[0]} × {right[1]})"
        return None
    shift = 0 if bias is None else bias[:, None, None]
    suspects = {}
    flipped = correlate(x, w[:, :, ::-1, ::-1], s, p, d)
    if kh * kw > 1:
        suspects["you flipped the kernel (a true convolution); F.conv2d is a cross-correlation: no flip"] = flipped
    if (dh, dw) != (1, 1):
        plain = correlate(x, w, s, p, 1)
        suspects["dilation is ignored when indexing the input: tap (a, b) reads row i·sh + a·dh"] = \
            plain[:, :, :right[0], :right[1]]
    if (sh, sw, ph, pw, dh, dw) != (sw, sh, pw, ph, dw, dh):
        suspects["the (h, w) tuples are read in the wrong order: the first entry applies to the height"] = \
            correlate(x, w, pair(s)[::-1], pair(p)[::-1], pair(d)[::-1])
    if (ph, pw) != (0, 0):
        suspects["the padding is applied on one side only; pad ph rows at the top and at the bottom"] = \
            correlate(x, w, s, (2 * ph, 2 * pw), d, pad_sides=(True, False))
    suspects = {m: v + shift for m, v in suspects.items() if v is not None and v.shape[2:] == right}
    return first_match(got, suspects)


def config(rng, n, c, f, h, w, k, stride=1, padding=0, dilation=1, bias=True):
    """One case; stride, padding and dilation are passed as given (ints or (h, w) tuples)."""
    x = rng.standard_normal((n, c, h, w))
    weight = rng.standard_normal((f, c, *k))
    b = rng.standard_normal(f) if bias else None
    return Case(x, weight, b, stride=stride, padding=padding, dilation=dilation)


def defaults(rng, n, c, f, h, w, k):
    """Only x and weight: bias None, stride 1, padding 0, dilation 1 by default."""
    return Case(rng.standard_normal((n, c, h, w)), rng.standard_normal((f, c, *k)))


checked = dict(compare=same, explain=named_mistake)


@grader.cases("cross-correlation on named configs (1×1 to 5×5 and 2×3 kernels, stride, padding, dilation, "
              "bias or None)", **checked)
def named(rng):
    yield defaults(rng, 1, 1, 1, 1, 1, (1, 1)).named("1×1 input, 1×1 kernel, the defaults")
    yield defaults(rng, 1, 1, 1, 3, 3, (2, 2)).named("2×2 kernel, the defaults")
    yield config(rng, 2, 2, 3, 4, 5, (3, 3)).named("3×3 kernel with bias")
    yield config(rng, 1, 3, 2, 5, 6, (2, 3)).named("non-square 2×3 kernel")
    yield config(rng, 2, 2, 2, 4, 6, (4, 6)).named("kernel as large as the input (1×1 output)")
    yield config(rng, 1, 2, 2, 5, 5, (3, 3), padding=1).named("padding 1 keeps the size")
    yield config(rng, 1, 2, 3, 7, 7, (3, 3), stride=2).named("stride 2")
    yield config(rng, 1, 1, 2, 7, 7, (3, 3), dilation=2, bias=False).named("dilation 2")
    yield config(rng, 2, 2, 2, 6, 6, (3, 2), stride=3, padding=2).named("stride 3, padding 2")
    yield config(rng, 1, 2, 2, 6, 7, (2, 2), stride=(2, 1), padding=(1, 0)).named("stride (2, 1), padding (1, 0)")
    yield config(rng, 1, 2, 3, 7, 9, (3, 3), stride=(1, 3), padding=(0, 2), dilation=(2, 1)) \
        .named("stride (1, 3), padding (0, 2), dilation (2, 1)")
    yield config(rng, 3, 4, 5, 12, 10, (5, 5), stride=2, padding=2, dilation=(1, 2)) \
        .named("5×5 kernel, stride 2, padding 2, dilation (1, 2)")


@grader.cases("40 random configs, small to large: H ≠ W, any stride, padding and dilation", **checked)
def random_configs(rng):
    made = 0
    while made < 40:
        size = 1 + made // 4  # grows from 1 to 10
        h, w = (int(rng.integers(1, min(size, 12) + 3)) for _ in range(2))
        if h == w:
            continue
        k = tuple(int(rng.integers(1, min(5, size + 1) + 1)) for _ in range(2))
        s, p, d = (v[int(rng.integers(len(v)))] for v in (STRIDES, PADDINGS, DILATIONS))
        if min(out_size(h, k[0], *(pair(v)[0] for v in (s, p, d))),
               out_size(w, k[1], *(pair(v)[1] for v in (s, p, d)))) < 1:
            continue
        made += 1
        yield config(rng, int(rng.integers(1, 4)), int(rng.integers(1, 5)), int(rng.integers(1, 6)), h, w, k,
                     s, p, d, bias=bool(rng.random() < 0.5))


@grader.cases("(h, w) tuples: the first entry applies to the height, the second to the width", **checked)
def tuple_order(rng):
    yield config(rng, 1, 1, 1, 6, 6, (2, 2), stride=(2, 1), bias=False)
    yield config(rng, 1, 1, 1, 5, 5, (3, 3), padding=(1, 0), bias=False)
    yield config(rng, 1, 1, 1, 6, 6, (2, 2), dilation=(1, 2), bias=False)
    yield config(rng, 2, 2, 2, 9, 9, (2, 3), stride=(1, 3), padding=(0, 2), dilation=(2, 1))


def impossible(h, w, k, channels=(2, 2), **kw):
    x, weight = np.zeros((1, channels[0], h, w)), np.zeros((1, channels[1], *k))
    return Case(x, weight, None, **kw)


grader.raises("ValueError for a channel mismatch or an output smaller than 1×1", ValueError, [
    impossible(5, 5, (3, 3), channels=(3, 2)).named("x has 3 channels, weight 2"),
    impossible(2, 5, (3, 3)).named("3×3 kernel on a 2-row input: Ho = 0 exactly"),
    impossible(5, 1, (3, 4), stride=2).named("Wo < 0"),
    impossible(6, 3, (2, 4)).named("a 2×4 kernel on a 3-column input: Wo = 0 exactly"),
    impossible(4, 4, (3, 3), dilation=2).named("the dilated kernel (5×5) is larger than the input"),
    impossible(3, 3, (6, 6), padding=1).named("the kernel is larger than the padded input"),
], why="no empty array: a channel mismatch or an output size below 1 is an error")

MEDIUM = dict(n=8, c=32, f=64, h=32, w=32, k=(3, 3), padding=1)


def medium(rng):
    return config(rng, **MEDIUM).named("N = 8, C = 32, 32×32 input, F = 64, 3×3 kernel, padding 1")


def multiply_adds(case):
    x, w = case.args[0], case.args[1]
    n, c, h, wd = x.shape
    return n * w.shape[0] * h * wd * c * w.shape[2] * w.shape[3]  # padding 1, stride 1: Ho = H, Wo = W


deadline.within(grader, "the medium case (151 M multiply-adds) finishes within 10 s", medium, seconds=10,
                work=multiply_adds, compare=same,
                hint="vectorise the sum over channels and kernel taps (im2col + one matrix product, einsum, "
                     "or a loop over the kernel offsets only)")

grader.speed(lambda rng: config(rng, 4, 16, 32, 32, 32, (3, 3), padding=1),
             label="N = 4, C = 16, 32×32 input, F = 32, 3×3 kernel")
