import numpy as np

from harness.engine import Case, Grader, close
from harness.engine.compare import first_match, parts

grader = Grader("softmax_cross_entropy", forbidden=["torch"])
# (loss, grad): the loss as a float, then dL/dlogits as an (n, C) float64 array.
loss_and_grad = parts({0: close(kind="float"), 1: close(kind="array")},
                  {0: "the loss is wrong", 1: "the loss is right but the gradient is wrong"})


def not_divided(case, got):
    """The seed's mistake: the gradient of the summed loss, n times the gradient of the mean."""
    logits, labels = case.args
    n = len(labels)
    if n < 2 or not isinstance(got, tuple) or len(got) != 2:
        return None
    p = np.exp(logits - logits.max(axis=1, keepdims=True))
    p /= p.sum(axis=1, keepdims=True)
    p[np.arange(n), labels] -= 1  # n · the right gradient
    if not p.any():  # C = 1: n · 0 is the right gradient
        return None
    return first_match(got[1], {f"your gradient is n = {n} times the right one: the loss is a mean over n "
                                "samples, so divide by n": p})


checked = dict(compare=loss_and_grad, explain=not_divided)


def logits_labels(rng, n, c, scale):
    return Case(rng.normal(scale=scale, size=(n, c)), rng.integers(0, c, size=n))


@grader.cases("mean loss and its gradient (softmax - one_hot) / n on random logits", **checked)
def random_logits(rng):
    for n, c, scale in [(1, 2, 1.0), (1, 5, 2.0), (3, 3, 1.0), (8, 4, 3.0), (32, 10, 5.0), (100, 50, 10.0)]:
        yield logits_labels(rng, n, c, scale)


@grader.cases("logits of ±1e3 give exact, finite loss and gradient", **checked)
def huge_logits(rng):
    yield Case(np.array([[1e3, -1e3]]), np.array([1])).named("true class 2000 behind")
    yield Case(np.array([[1e3, -1e3, 0.0], [-1e3, 1e3, 1e3]]), np.array([0, 0]))
    yield Case(np.array([[-1e3, -1e3, -999.0], [1e3, 1e3, 1e3]]), np.array([2, 1]))
    for _ in range(3):
        yield Case(rng.choice([-1e3, 1e3], size=(6, 4)) + rng.normal(size=(6, 4)), rng.integers(0, 4, size=6))


grader.cases("C = 1: loss 0 and an all-zero gradient", [
    Case(np.array([[3.0]]), np.array([0])),
    Case(np.array([[-2.5], [0.0], [1e3]]), np.array([0, 0, 0])),
], **checked)

grader.speed(lambda rng: logits_labels(rng, 5000, 1000, 3.0), label="5000 × 1000 logits")
