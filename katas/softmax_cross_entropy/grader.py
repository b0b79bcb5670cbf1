import numpy as np

from harness.engine import Case, Fail, Grader, close
from harness.engine.show import short

grader = Grader("softmax_cross_entropy", forbidden=["torch"])
loss_close = close(kind="float", what="loss")
grad_close = close(kind="array", what="gradient entries")


def loss_and_grad(expected, got):
    """(loss, grad): the loss as a float, then dL/dlogits as an (n, C) float64 array."""
    if not isinstance(got, tuple) or len(got) != 2:
        raise Fail("return a tuple (loss, grad)", expected="(float, array of shape (n, C))", got=short(got))
    try:
        loss_close(expected[0], got[0])
    except Fail as fail:
        fail.message = "the loss is wrong: " + fail.message
        raise
    try:
        grad_close(expected[1], got[1])
    except Fail as fail:
        fail.message = "the loss is right but the gradient is wrong: " + fail.message
        e, g = np.asarray(expected[1]), np.asarray(got[1])
        if e.shape == g.shape and np.abs(e).max() > 0:
            ratio = float(np.vdot(e, g) / np.vdot(e, e))
            n = e.shape[0]
            if abs(ratio - 1) > 1e-3 and np.allclose(g, ratio * e, rtol=1e-6, atol=1e-9):
                fail.message += (f" (it is {ratio:.4g} × the right one" +
                                 ("; the loss is a mean over n samples, so divide by n)" if np.isclose(ratio, n)
                                  else ")"))
        raise


def logits_labels(rng, n, c, scale):
    return Case(rng.normal(scale=scale, size=(n, c)), rng.integers(0, c, size=n))


@grader.cases("mean loss and its gradient (softmax - one_hot) / n on random logits", compare=loss_and_grad)
def random_logits(rng):
    for n, c, scale in [(1, 2, 1.0), (1, 5, 2.0), (3, 3, 1.0), (8, 4, 3.0), (32, 10, 5.0), (100, 50, 10.0)]:
        yield logits_labels(rng, n, c, scale)


@grader.cases("logits of ±1e3 give exact, finite loss and gradient", compare=loss_and_grad)
def huge_logits(rng):
    yield Case(np.array([[1e3, -1e3]]), np.array([1])).named("true class 2000 behind")
    yield Case(np.array([[1e3, -1e3, 0.0], [-1e3, 1e3, 1e3]]), np.array([0, 0]))
    yield Case(np.array([[-1e3, -1e3, -999.0], [1e3, 1e3, 1e3]]), np.array([2, 1]))
    for _ in range(3):
        yield Case(rng.choice([-1e3, 1e3], size=(6, 4)) + rng.normal(size=(6, 4)), rng.integers(0, 4, size=6))


grader.cases("C = 1: loss 0 and an all-zero gradient", [
    Case(np.array([[3.0]]), np.array([0])),
    Case(np.array([[-2.5], [0.0], [1e3]]), np.array([0, 0, 0])),
], compare=loss_and_grad)

grader.speed(lambda rng: logits_labels(rng, 5000, 1000, 3.0), label="5000 × 1000 logits")
