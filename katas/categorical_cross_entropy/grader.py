import numpy as np

from harness.engine import Case, Grader, close

grader = Grader("categorical_cross_entropy")
same = close(kind="array")  # float64, shape (n,), contract tolerances

SIZES = [(1, 2), (2, 3), (3, 5), (8, 4), (32, 10), (100, 50)]


def probs(rng, n, c):
    return rng.dirichlet(np.ones(c), size=n)


@grader.cases("one-hot targets: one loss per sample, shape (n,)", compare=same)
def one_hot(rng):
    for n, c in SIZES:
        yield Case(np.eye(c)[rng.integers(0, c, size=n)], probs(rng, n, c))


@grader.cases("soft targets: every class weighted by y_true", compare=same)
def soft(rng):
    for n, c in SIZES:
        yield Case(probs(rng, n, c), probs(rng, n, c))


grader.cases("zero probabilities give finite losses (y_pred clipped to [eps, 1 - eps])", [
    Case(np.array([[1.0, 0.0, 0.0]]), np.array([[0.0, 1.0, 0.0]])).named("zero on the target"),
    Case(np.array([[0.0, 1.0, 0.0]]), np.array([[0.0, 1.0, 0.0]])).named("zeros off the target, 1 on it"),
    Case(np.array([[1.0, 0.0], [0.0, 1.0], [0.5, 0.5]]),
         np.array([[0.0, 1.0], [0.3, 0.7], [1.0, 0.0]])).named("mixed"),
    Case(np.array([[0.25, 0.75, 0.0], [0.0, 0.0, 1.0]]),
         np.array([[0.0, 0.5, 0.5], [0.2, 0.8, 0.0]])).named("soft targets on zeros"),
], compare=same)

grader.cases("n = 1 still returns shape (1,)", [
    Case(np.array([[0.0, 1.0]]), np.array([[0.4, 0.6]])),
    Case(np.array([[0.2, 0.3, 0.5]]), np.array([[0.1, 0.1, 0.8]])),
], compare=same)

grader.cases("uses the eps argument for clipping", [
    Case(np.array([[1.0, 0.0, 0.0]]), np.array([[0.0, 0.5, 0.5]]), eps=1e-4),
    Case(np.array([[0.5, 0.5], [0.0, 1.0]]), np.array([[0.0, 1.0], [1.0, 0.0]]), eps=1e-7),
], compare=same)

@grader.cases("eps = 1e-2: y_pred clipped to [eps, 1 - eps] on both sides, not shifted by eps", compare=same)
def wide_eps(rng):
    # At eps = 1e-12 clipping, adding eps and a missing upper clip agree to ~1e-12; at 1e-2
    # they differ by about 1%. Peaked predictions put entries below eps and above 1 - eps.
    yield Case(np.array([[0.0, 1.0, 0.0]]), np.array([[0.0, 1.0, 0.0]]), eps=1e-2).named("a sure, right guess")
    for n, c in SIZES:
        pred = rng.dirichlet(np.full(c, 0.1), size=n)
        pred[0] = np.eye(c)[rng.integers(c)]
        target = np.eye(c)[rng.integers(0, c, size=n)] if n % 2 else probs(rng, n, c)
        yield Case(target, pred, eps=1e-2)


grader.speed(lambda rng: Case(np.eye(100)[rng.integers(0, 100, size=20000)], probs(rng, 20000, 100)),
             label="20000 samples × 100 classes")
