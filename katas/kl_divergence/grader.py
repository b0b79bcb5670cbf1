import numpy as np

from harness.engine import Case, Grader, close

grader = Grader("kl_divergence")
value = close()  # a float for 1-D input, an array of shape p.shape[:-1] for batches


def dist(rng, shape, zero_frac=0.0):
    d = rng.dirichlet(np.ones(shape[-1]), size=shape[:-1])
    if zero_frac:
        d = np.where(rng.random(shape) < zero_frac, 0.0, d)
        d[..., 0] += 0.1  # no empty row
        d /= d.sum(axis=-1, keepdims=True)
    return d


P = np.array([0.1, 0.4, 0.5])
Q = np.array([0.2, 0.3, 0.5])
A = np.array([0.7, 0.2, 0.1])
B = np.array([0.1, 0.3, 0.6])

grader.cases("computes KL(p || q), not KL(q || p) (the divergence is asymmetric)", [
    Case(P, Q), Case(Q, P), Case(A, B), Case(B, A),
], compare=value)


@grader.cases("1-D distributions: returns a float", compare=value)
def one_d(rng):
    for c in (1, 2, 3, 5, 10, 100):
        yield Case(dist(rng, (c,)), dist(rng, (c,)))


@grader.cases("batches: one divergence per distribution, shape p.shape[:-1]", compare=value)
def batches(rng):
    for shape in ((1, 3), (4, 2), (6, 5), (2, 3, 4), (50, 20)):
        yield Case(dist(rng, shape), dist(rng, shape))


@grader.cases("zeros in p add nothing (0 · log 0 = 0, not nan)", compare=value)
def zeros_in_p(rng):
    yield Case(np.array([0.5, 0.5, 0.0]), np.array([0.25, 0.25, 0.5]))
    yield Case(np.array([[1.0, 0.0, 0.0], [0.0, 0.3, 0.7]]), np.array([[0.2, 0.3, 0.5], [0.5, 0.2, 0.3]]))
    for shape in ((6,), (5, 4), (2, 3, 6)):
        yield Case(dist(rng, shape, 0.4), dist(rng, shape))


@grader.cases("zeros in q are clipped at eps (large but finite)", compare=value)
def zeros_in_q(rng):
    yield Case(np.array([0.5, 0.5]), np.array([1.0, 0.0]))
    yield Case(np.array([[0.5, 0.5, 0.0], [1.0, 0.0, 0.0]]), np.array([[0.25, 0.25, 0.5], [0.5, 0.5, 0.0]]))
    yield Case(np.array([0.2, 0.8, 0.0]), np.array([0.0, 1.0, 0.0]), eps=1e-4).named("non-default eps")
    for shape in ((6,), (8, 4), (2, 3, 5)):
        yield Case(dist(rng, shape, 0.4), dist(rng, shape, 0.4))
    yield Case(dist(rng, (6, 5), 0.4), dist(rng, (6, 5), 0.4), eps=1e-3).named("non-default eps")


@grader.cases("eps = 1e-2: q clipped below at eps (not shifted by eps, not clipped above)", compare=value)
def wide_eps(rng):
    # At eps = 1e-10, clipping and adding eps agree to ~1e-10; at 1e-2 they differ by ~1%.
    yield Case(np.array([0.5, 0.5]), np.array([0.995, 0.005]), eps=1e-2)
    for shape in ((4,), (6, 5), (2, 3, 8)):
        q = rng.dirichlet(np.full(shape[-1], 0.1), size=shape[:-1])  # peaked: entries < 1e-2 and > 0.99
        yield Case(dist(rng, shape), q, eps=1e-2)


@grader.cases("sums off by 1e-10 (rounding) are still distributions", compare=value)
def rounding(rng):
    for shape in ((3,), (4, 5), (2, 3, 4)):
        p, q = dist(rng, shape), dist(rng, shape)
        p[..., 0] += 1e-10
        q[..., -1] -= 1e-10 * (q[..., -1] > 1e-9)
        yield Case(p, q)


OK_P = np.array([[0.2, 0.3, 0.5], [0.6, 0.4, 0.0]])
OK_Q = np.array([[0.3, 0.3, 0.4], [0.1, 0.1, 0.8]])

grader.raises("ValueError for a negative entry in p or q", ValueError, [
    Case(np.array([0.6, -0.1, 0.5]), np.array([0.3, 0.3, 0.4])),
    Case(np.array([0.3, 0.3, 0.4]), np.array([1.1, -0.1, 0.0])),
    Case(OK_P, np.array([[0.3, 0.3, 0.4], [1.2, -0.2, 0.0]])),
], why="probabilities cannot be negative")

grader.raises("ValueError for a distribution not summing to 1 (each one checked)", ValueError, [
    Case(np.array([0.2, 0.3, 0.6]), np.array([0.3, 0.3, 0.4])),
    Case(np.array([0.3, 0.3, 0.4]), np.array([0.3, 0.3, 0.3])),
    Case(np.array([0.2, 0.3, 0.5012]), np.array([0.3, 0.3, 0.4])).named("off by 1.2e-3"),
    Case(OK_P, np.array([[0.3, 0.3, 0.4], [0.1, 0.1, 0.7]])).named("one bad row in a batch"),
    Case(np.array([[0.2, 0.3, 0.5], [0.6, 0.4, 0.1]]), OK_Q).named("one bad row in a batch"),
    Case(np.array([[0.3, 0.3, 0.5], [0.1, 0.4, 0.4]]), OK_Q).named("rows off by +0.1 and -0.1 (the batch total is right)"),
    Case(OK_P, np.array([[0.3, 0.3, 0.3], [0.2, 0.1, 0.8]])).named("rows off by -0.1 and +0.1 (the batch total is right)"),
], why="each distribution must sum to 1")

grader.raises("ValueError for p and q of different shapes (no broadcasting)", ValueError, [
    Case(OK_P, np.array([0.3, 0.3, 0.4])),
    Case(np.array([0.2, 0.3, 0.5]), OK_Q[:1]),
    Case(np.array([0.5, 0.5]), np.array([0.2, 0.3, 0.5])),
], why="p and q have different shapes")

grader.speed(lambda rng: Case(dist(rng, (2000, 1000), 0.1), dist(rng, (2000, 1000), 0.1)),
             label="2000 distributions over 1000 outcomes")
