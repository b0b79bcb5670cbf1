import numpy as np

from harness.engine import Case, Fail, Grader, close
from harness.engine.backward import compare_gradient, gradients, mistakes, upstream
from harness.engine.compare import parts

grader = Grader(["layernorm_forward", "layernorm_backward"], forbidden=["torch"])

NAMES = ("dx", "dgamma", "dbeta")
SHAPES = [(1, 2), (2, 3, 2), (4, 8), (5, 33), (3, 5, 7), (2, 3, 4, 6), (16, 512)]
output = close(kind="array", what="entries of y")
backward = gradients(NAMES, {"dx": "x", "dgamma": "gamma", "dbeta": "beta"},
                     returns="layernorm_backward(dy, cache)")
forward_and_backward = parts({0: output, 1: backward}, {0: "layernorm_forward: y", 1: "layernorm_backward"})


def case(rng, shape, *, loc=0.0, std=1.0, eps=None):
    """x with rows of the given offset and spread, random gamma/beta, the grader's dy."""
    d = shape[-1]
    kw = {"x": loc + std * rng.standard_normal(shape), "gamma": rng.normal(1.0, 0.5, d),
          "beta": rng.normal(0.0, 0.5, d)}
    if eps is not None:
        kw["eps"] = eps
    return Case(**kw, dy=upstream(rng, shape))


def forward(impl, c):
    kw = {k: v for k, v in c.kwargs.items() if k != "dy"}
    return impl.layernorm_forward(**kw)


def run(impl, c):
    """One forward, then the backward of its cache with the grader's dy."""
    y, cache = forward(impl, c)
    return y, impl.layernorm_backward(c.kwargs["dy"], cache)


def statistics(c):
    """x̂ and 1/sqrt(var + eps) of the case, for the classic mistakes below."""
    x, eps = c.kwargs["x"], c.kwargs.get("eps", 1e-5)
    centred = x - x.mean(-1, keepdims=True)
    rstd = 1.0 / np.sqrt((centred ** 2).mean(-1, keepdims=True) + eps)
    return centred, rstd


def dx_of(c, g, mean_term=True, var_term=True):
    """dx for the gradient g reaching x̂, optionally without the path through the mean or the variance."""
    centred, rstd = statistics(c)
    xhat = centred * rstd
    return rstd * (g - mean_term * g.mean(-1, keepdims=True) - var_term * xhat * (g * xhat).mean(-1, keepdims=True))


def truth(c):
    """The right (y, (dx, _, _)) in the layout of `run`, so that a mistake that happens to coincide with
    the right answer on a case never names a part that is right."""
    centred, rstd = statistics(c)
    y = c.kwargs["gamma"] * centred * rstd + c.kwargs["beta"]
    return y, (dx_of(c, c.kwargs["dy"] * c.kwargs["gamma"]),)


def wrong_forwards(c, path):
    """What the classic forward mistakes give on this case, as (path to y, message, value)."""
    x, gamma, beta, eps = c.kwargs["x"], c.kwargs["gamma"], c.kwargs["beta"], c.kwargs.get("eps", 1e-5)
    centred, _ = statistics(c)
    var, unbiased = x.var(-1, keepdims=True), x.var(-1, ddof=1, keepdims=True)
    with np.errstate(all="ignore"):
        shortcut = np.maximum((x * x).mean(-1, keepdims=True) - x.mean(-1, keepdims=True) ** 2, 0.0)
    return [
        (path, "you used the unbiased variance (divide by D − 1); layer norm divides by D",
         gamma * centred / np.sqrt(unbiased + eps) + beta),
        (path, "eps is added outside the square root; it belongs inside: (x − mean) / sqrt(var + eps)",
         gamma * centred / (np.sqrt(var) + eps) + beta),
        (path, "the variance as E[x²] − E[x]² loses every digit at large offsets; centre first: mean((x − mean)²)",
         gamma * centred / np.sqrt(shortcut + eps) + beta),
    ]


def wrong_backwards(c):
    """The classic forward mistakes (y), then the classic dx mistakes, on this case."""
    g = c.kwargs["dy"] * c.kwargs["gamma"]
    return wrong_forwards(c, (0,)) + [
        ((1, 0), "dx is missing the path through the variance: subtract xhat · mean(dxhat · xhat) too",
         dx_of(c, g, var_term=False)),
        ((1, 0), "dx is missing the path through the mean: subtract mean(dxhat) too", dx_of(c, g, mean_term=False)),
        ((1, 0), "dx leaves gamma out: the gradient reaching xhat is dy · gamma", dx_of(c, c.kwargs["dy"])),
    ]


forward_mistakes = mistakes(lambda c: wrong_forwards(c, ()), truth=lambda c: truth(c)[0])
both_mistakes = mistakes(wrong_backwards, truth=truth)


@grader.cases("forward: y normalises each row over the last axis (biased variance, eps inside the root)",
              call=lambda impl, c: forward(impl, c)[0], compare=output, entry="layernorm_forward",
              explain=forward_mistakes)
def forwards(rng):
    for shape in SHAPES:
        yield case(rng, shape, loc=rng.normal(0, 2), std=rng.uniform(0.5, 3))
    yield case(rng, (3, 6), eps=1e-2).named("eps = 1e-2")


@grader.cases("backward: dx, dgamma and dbeta are the gradients of Σ dy·y (dgamma and dbeta summed over "
              "every leading axis)", call=run, compare=forward_and_backward, entry="layernorm_backward",
              explain=both_mistakes)
def backwards(rng):
    for shape in [(2, 3)] + SHAPES[2:3] + SHAPES[:2] + SHAPES[3:]:  # D = 2 (dx close to 0) after a plain case
        yield case(rng, shape, loc=rng.normal(0, 2), std=rng.uniform(0.5, 3))
    yield case(rng, (4, 5), eps=1e-2).named("eps = 1e-2")
    yield case(rng, (2, 3, 5), eps=1e-2).named("eps = 1e-2")


@grader.cases("rows of std 1e-3, where eps matters (default eps and 1e-2)", call=run,
              compare=forward_and_backward, entry="layernorm_backward", explain=both_mistakes)
def tiny_rows(rng):
    for shape, eps in (((2, 4), None), ((3, 8), None), ((2, 3, 16), 1e-2), ((4, 64), None)):
        yield case(rng, shape, loc=rng.normal(0, 1), std=1e-3, eps=eps).named("rows of std 1e-3")


@grader.cases("rows around ±1e4 to ±1e6 keep float64 accuracy (forward and backward)", call=run,
              compare=forward_and_backward, entry="layernorm_backward", explain=both_mistakes)
def large_offsets(rng):
    for shape, loc, std in (((2, 8), 1e4, 0.1), ((3, 16), -1e5, 0.3), ((2, 3, 32), 1e6, 1.0),
                            ((4, 64), -1e6, 1.0)):
        yield case(rng, shape, loc=loc, std=std).named(f"{loc:+.0e} + noise of std {std}")


@grader.property("each cache stands on its own: two forwards, then the backward of the first, the "
                 "second, and the first again with a new dy")
def two_caches(ctx):
    rng = ctx.rng
    for shape in ((2, 3), (3, 2, 5)):
        first, second = case(rng, shape), case(rng, shape, loc=3.0, std=2.0)
        again = upstream(rng, shape)
        steps = [("the first forward's cache", first, first.kwargs["dy"]),
                 ("the second forward's cache", second, second.kwargs["dy"]),
                 ("the first forward's cache again, with a new dy", first, again)]
        expected, got = {}, {}
        for impl, out in ((ctx.ref, expected), (ctx.attempt, got)):
            caches = {id(c): forward(impl, c.fresh())[1] for c in (first, second)}
            for label, c, dy in steps:
                out[label] = impl.layernorm_backward(dy.copy(), caches[id(c)])
        for label, c, _ in steps:
            result = got[label]
            if not isinstance(result, (tuple, list)) or len(result) != 3:
                raise Fail(f"layernorm_backward should return a tuple (dx, dgamma, dbeta) ({label})")
            for name, e, g in zip(NAMES, expected[label], result):
                try:
                    compare_gradient(name, e, g)
                except Fail as fail:
                    fail.message = (f"backward of {label}: {fail.message} (keep everything backward needs in "
                                    "the cache it returns: no global state, and do not modify the cache)")
                    fail.case = f"x of shape {shape}; forward(x1), forward(x2), then backward in that order"
                    raise


grader.speed(lambda rng: case(rng, (256, 1024)), call=run, label="x of shape (256, 1024), forward and backward")
