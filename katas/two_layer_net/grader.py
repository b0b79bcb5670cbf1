import numpy as np

from harness.engine import Case, Fail, Grader, close
from harness.engine.compare import parts
from harness.engine.rngs import assert_draws_only_from_argument
from harness.engine.show import short

grader = Grader("TwoLayerNet", forbidden=["torch"])
NAMES = ("W1", "b1", "W2", "b2")
array = close(kind="array")


class Net(dict):
    """Sizes and the grader's weights for one network; rendered briefly in reports."""

    def __repr__(self):
        n_in, h, out = self["sizes"]
        return f"TwoLayerNet({n_in}, {h}, {out}) with the grader's W1, b1, W2, b2"


def net_case(rng, m, n_in, h, out, *, soft=False):
    spec = Net(sizes=(n_in, h, out),
               W1=rng.normal(scale=0.8, size=(n_in, h)), b1=rng.normal(scale=0.3, size=(1, h)),
               W2=rng.normal(scale=0.8, size=(h, out)), b2=rng.normal(scale=0.3, size=(1, out)))
    X = rng.normal(size=(m, n_in))
    y = rng.random((m, out)) if soft else (rng.random((m, out)) < 0.5).astype(np.float64)
    return Case(spec, X, y)


def build(impl, spec):
    net = impl.TwoLayerNet(*spec["sizes"])
    for k in NAMES:
        setattr(net, k, spec[k].copy())  # copies: train() may update them in place
    return net


# out = 1 first, then out > 1 with out != hidden (where the seed's scale bug shows)
SIZES = [(1, 2, 3, 1), (4, 2, 2, 1), (8, 3, 4, 1), (6, 3, 5, 2), (16, 4, 3, 5), (32, 6, 8, 3)]


def random_nets(rng):
    for m, n_in, h, out in SIZES:
        yield net_case(rng, m, n_in, h, out)
    yield net_case(rng, 10, 3, 4, 2, soft=True).named("soft targets")


def scale_hint(expected, got):
    """The seed's scale bug: a gradient that is a plain multiple of the right one."""
    try:
        array(expected, got)
    except Fail as fail:
        if getattr(got, "shape", None) == expected.shape and np.abs(expected).max() > 0:
            ratio = float(np.vdot(expected, got) / np.vdot(expected, expected))
            if abs(ratio - 1) > 1e-3 and np.allclose(got, ratio * expected, rtol=1e-6, atol=1e-9):
                fail.message += (f" (it is {ratio:.4g} × the right one: the loss is a mean over all "
                                 "m · output_size entries)")
        raise


same_gradients = parts({k: scale_hint for k in NAMES}, {k: f"the gradient for `{k}` is wrong" for k in NAMES})


def same_losses(expected, got):
    """train()'s history: one loss per epoch, each recorded before that epoch's update."""
    if not isinstance(got, list) or len(got) != len(expected):
        raise Fail(f"train() should return a list of {len(expected)} losses, one per epoch",
                   got=f"{type(got).__name__} of length {len(got) if hasattr(got, '__len__') else '?'}")
    e, g = np.array(expected), np.array(got, dtype=np.float64)
    try:
        close(what="losses")(e, g)
    except Fail as fail:
        if len(e) > 1 and np.allclose(g[:-1], e[1:], rtol=1e-6, atol=1e-9):
            fail.message += " (shifted by one epoch: record the loss before each update, not after)"
        raise


same_training = parts({0: same_losses, 1: parts({k: array for k in NAMES}, {k: f"`{k}` is wrong" for k in NAMES})},
                      {0: "the losses returned by train() are wrong", 1: "the losses are right, but after train()"})


@grader.property("W1, b1, W2, b2 have the promised shapes (b2 is (1, output_size))")
def shapes(ctx):
    for sizes in ((3, 5, 2), (2, 4, 1), (4, 2, 6)):
        net = ctx.attempt.TwoLayerNet(*sizes)
        n_in, h, out = sizes
        promised = {"W1": (n_in, h), "b1": (1, h), "W2": (h, out), "b2": (1, out)}
        for k, shape in promised.items():
            if not hasattr(net, k):
                raise Fail(f"after TwoLayerNet{sizes} there is no attribute `{k}`")
            got = np.shape(getattr(net, k))
            if got != shape:
                raise Fail(f"after TwoLayerNet{sizes}, `{k}` has shape {got}; expected {shape}",
                           expected=str(shape), got=str(got))


@grader.property("__init__: float64 weights drawn from default_rng(seed) (same seed, same weights; nothing "
                 "else changes them), zero biases")
def initialisation(ctx):
    sizes = (4, 3, 5)  # output wider than hidden: a scale formula must not go negative

    def weights(seed):
        net = ctx.attempt.TwoLayerNet(*sizes, seed=seed)
        return tuple(np.array(getattr(net, k), copy=True) for k in NAMES)

    case = f"TwoLayerNet{sizes[:3]}, seed=3"
    first = weights(3)
    for k, w in zip(NAMES, first):
        if w.dtype != np.float64 or not np.isfinite(w).all():
            raise Fail(f"after {case}, `{k}` must be a finite float64 array", got=short(w))
    if first[1].any() or first[3].any():
        raise Fail(f"after {case}, the biases b1 and b2 must start at zero", got=f"b1 = {short(first[1])}, "
                   f"b2 = {short(first[3])}")
    if not first[0].any() or not first[2].any():
        raise Fail(f"after {case}, W1 and W2 must hold random values, not zeros (zeros keep every hidden unit "
                   "identical)")
    assert_draws_only_from_argument(lambda: weights(3), argument="seed", results_word="sets of weights",
                                    case=f"{case}, twice")
    if all(np.array_equal(a, b) for a, b in zip(first, weights(4))):
        raise Fail("seed 3 and seed 4 gave the same weights: draw them from np.random.default_rng(seed)")


grader.cases("forward(X): sigmoid hidden and output layers, shape (m, output_size)", random_nets,
             call=lambda impl, c: build(impl, c.args[0]).forward(c.args[1]), compare=array, entry="forward")

grader.cases("loss(X, y): mean binary cross-entropy over all m · output_size entries", random_nets,
             call=lambda impl, c: build(impl, c.args[0]).loss(c.args[1], c.args[2]), compare=close(kind="float"),
             entry="loss")


def gradients(impl, case):
    grads = build(impl, case.args[0]).gradients(case.args[1], case.args[2])
    if isinstance(grads, dict):  # lists and floats are read as arrays
        grads = {k: np.asarray(v) if isinstance(v, (list, float)) else v for k, v in grads.items()}
    return grads


grader.cases("gradients(X, y) match d loss / d W1, b1, W2, b2 (output_size 1 and > 1)", random_nets,
             call=gradients, compare=same_gradients, entry="gradients")


def train_run(epochs, lr):
    def call(impl, case):
        net = build(impl, case.args[0])
        history = net.train(case.args[1], case.args[2], epochs, lr)
        return history, {k: getattr(net, k) for k in NAMES}
    return call


@grader.cases("train(X, y, 5, 0.5): the loss before each step, and all four arrays updated",
              call=train_run(5, 0.5), compare=same_training, entry="train")
def short_training(rng):
    yield net_case(rng, 4, 2, 3, 1)
    yield net_case(rng, 12, 3, 5, 2)


XOR_X = np.array([[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]])
XOR_Y = np.array([[0.0], [1.0], [1.0], [0.0]])
XOR_INIT = Net(sizes=(2, 2, 1), W1=np.array([[1.0, -1.0], [1.0, -1.0]]), b1=np.array([[-0.5, 1.5]]),
               W2=np.array([[1.0], [1.0]]), b2=np.array([[-1.5]]))


@grader.property("learns XOR from the statement's initialisation (3000 epochs, lr 2.0)")
def xor(ctx):
    net = build(ctx.attempt, XOR_INIT)
    history = net.train(XOR_X.copy(), XOR_Y.copy(), 3000, 2.0)
    expected = build(ctx.ref, XOR_INIT).train(XOR_X.copy(), XOR_Y.copy(), 3000, 2.0)
    if not isinstance(history, list) or len(history) != 3000:
        raise Fail("train() should return a list of 3000 losses")
    try:
        close(rtol=1e-5, atol=1e-9, what="losses")(np.array(expected), np.array(history, dtype=np.float64))
    except Fail as fail:
        fail.message = "the training history differs from the reference's: " + fail.message
        raise
    out = np.asarray(net.forward(XOR_X.copy())).ravel()
    if not np.array_equal(np.round(out), [0, 1, 1, 0]):
        raise Fail("after training, the outputs do not round to XOR [0, 1, 1, 0]", expected="[0, 1, 1, 0]",
                   got=np.array2string(out, precision=4))


grader.speed(lambda rng: net_case(rng, 2000, 50, 100, 10), call=train_run(20, 0.1),
             label="20 epochs on 2000 × 50 inputs, hidden 100, output 10")
