import numpy as np

from harness.engine import Case, Fail, Grader, close
from harness.engine.compare import first_match, parts
from harness.engine.conditioning import float_like
from harness.engine.show import short, type_name

grader = Grader("kmeans", forbidden=["sklearn", "scipy.cluster", "scipy.cluster.*"])
EMPTY_NAN = ("a centroid that got no point became nan (the mean of an empty set); "
             "a centroid with no point keeps its position")


def same_labels(expected, got):
    """Labels are compared exactly: an integer array, one cluster index per point."""
    if not isinstance(got, np.ndarray) or got.dtype.kind not in "iu":
        raise Fail(f"expected an integer numpy array of labels, got {type_name(got)}", expected=short(expected),
                   got=short(got))
    if got.shape != expected.shape:
        raise Fail(f"wrong shape: expected {expected.shape}, got {got.shape}")
    wrong = np.flatnonzero(got != expected)
    if wrong.size:
        i = int(wrong[0])
        raise Fail(f"{wrong.size} of {expected.size} labels differ; the first is point {i}: expected "
                   f"{int(expected[i])}, got {int(got[i])}", expected=short(expected), got=short(got))


same_result = parts({0: close(kind="array"), 1: same_labels, 2: float_like()},
                    {0: "the centroids", 1: "the labels", 2: "the inertia"})


def nearest(X, C, ties_last=False):
    sq = ((X[:, None, :] - C[None, :, :]) ** 2).sum(axis=2)
    labels = len(C) - 1 - sq[:, ::-1].argmin(axis=1) if ties_last else sq.argmin(axis=1)
    return labels, sq[np.arange(len(X)), labels]


def lloyd(X, init, iters, *, ties_last=False, stale_labels=False, root_inertia=False):
    """The contract's loop, with one named mistake switched on."""
    C, previous, used = init.astype(np.float64), None, None
    for _ in range(iters):
        labels, _ = nearest(X, C, ties_last)
        if previous is not None and np.array_equal(labels, previous):
            break
        used = labels
        for j in range(len(C)):
            if (labels == j).any():
                C[j] = X[labels == j].mean(axis=0)
        previous = labels
    labels, sq = nearest(X, C, ties_last)
    if stale_labels and used is not None:
        labels, sq = used, ((X - C[used]) ** 2).sum(axis=1)
    return np.concatenate([C.ravel(), labels, [np.sqrt(sq).sum() if root_inertia else sq.sum()]])


def named_mistake(case, got):
    X, init = case.args[:2]
    iters = case.kwargs.get("max_iters", 100)
    try:
        centroids = np.asarray(got[0], dtype=np.float64)
        if np.isnan(centroids).any():
            return EMPTY_NAN
        labels = np.asarray(got[1])
        if labels.size and (labels.min() < 0 or labels.max() >= len(init)):
            return (f"label {int(labels.max())} is not a centroid index (k = {len(init)}): the distances were "
                    "reduced over the wrong axis (sum the squares over the features, take argmin over the centroids)")
        flat = np.concatenate([centroids.ravel(), np.asarray(got[1], dtype=np.float64), [float(got[2])]])
    except Exception:
        return None
    return first_match(flat, {
        "one update too many: max_iters counts centroid updates": lloyd(X, init, iters + 1),
        "ties go to the last centroid; np.argmin's rule (lowest index) is the contract": lloyd(X, init, iters,
                                                                                                ties_last=True),
        "the labels are those of the previous centroids: assign the points again to the returned centroids":
            lloyd(X, init, iters, stale_labels=True),
        "the inertia sums distances; it is the sum of *squared* distances": lloyd(X, init, iters, root_inertia=True),
    })


def blobs(rng, n, d, k, spread=4.0):
    centres = rng.normal(scale=spread, size=(k, d))
    return centres[rng.integers(0, k, size=n)] + rng.normal(size=(n, d))


def corner_init(rng, X, k):
    """Every initial centroid crowded near the lowest corner of the data: many slow updates."""
    return X.min(axis=0) - 1.0 + 0.2 * rng.random((k, X.shape[1]))


grader.cases("k = 1: the centroid is the mean of X and the inertia the total sum of squares", [
    Case(np.array([[1.0, 2.0], [3.0, 6.0], [5.0, 1.0]]), np.array([[0.0, 0.0]])),
    Case(np.array([[2.0], [4.0], [9.0], [-1.0]]), np.array([[100.0]]), max_iters=1),
    Case(np.arange(12.0).reshape(4, 3) ** 1.5, np.array([[1.0, -1.0, 0.5]]), max_iters=5),
], compare=same_result, explain=named_mistake)


@grader.cases("max_iters = 0 returns init (as float64), with its labels and inertia", compare=same_result,
              explain=named_mistake)
def zero_iters(rng):
    for n, d, k in ((3, 1, 2), (10, 2, 3), (30, 4, 5)):
        X = blobs(rng, n, d, k)
        yield Case(X, X[rng.choice(n, size=k, replace=False)] + 0.5, max_iters=0)


@grader.cases("max_iters = 1, 2, 3 stop after that many updates, before convergence (d < k and d > k)",
              compare=same_result, explain=named_mistake)
def early_stop(rng):
    for n, d, k in ((8, 1, 3), (20, 2, 4), (30, 5, 3), (60, 3, 6)):
        for iters in (1, 2, 3):
            X = blobs(rng, n, d, k)
            yield Case(X, corner_init(rng, X, k), max_iters=iters)


@grader.cases("max_iters = 100 runs to convergence (init drawn from the data, or crowded in a corner)",
              compare=same_result, explain=named_mistake)
def converged(rng):
    for n, d, k in ((6, 1, 2), (20, 2, 3), (50, 3, 5), (200, 6, 4), (300, 2, 8)):
        X = blobs(rng, n, d, k)
        yield Case(X, X[rng.choice(n, size=k, replace=False)])
        yield Case(X, corner_init(rng, X, k), max_iters=100)


@grader.cases("exact distance ties in integer data go to the lowest centroid index", compare=same_result,
              explain=named_mistake)
def integer_ties(rng):
    yield Case(np.array([[0.0], [2.0], [4.0]]), np.array([[1.0], [3.0]]), max_iters=0)
    yield Case(np.array([[0.0, 0.0], [2.0, 0.0], [0.0, 2.0], [2.0, 2.0]]), np.array([[1.0, 1.0], [1.0, 3.0]]),
               max_iters=1)
    # multiples of 2520 = lcm(1..10): every mean of up to 10 points is an integer, so every distance is
    # exact whatever the formula, and exact ties stay ties through every update
    for n, d, k in ((4, 1, 2), (6, 2, 3), (8, 2, 4), (10, 1, 3), (10, 2, 5)):
        for iters in (0, 1, 2, 100):
            X = 2520.0 * rng.integers(0, 4, size=(n, d))
            init = 1260.0 * rng.integers(0, 7, size=(k, d))
            yield Case(X, init, max_iters=iters)


@grader.cases("duplicate init centroids: the later copy loses every tie, so it starts empty and keeps its position",
              compare=same_result, explain=named_mistake)
def duplicates(rng):
    for n, d in ((5, 1), (12, 2), (40, 3)):
        X = blobs(rng, n, d, 3)
        a, b = rng.choice(n, size=2, replace=False)
        for iters in (1, 3, 100):
            yield Case(X, X[[a, a, b]], max_iters=iters)


@grader.cases("a far centroid that never gets a point keeps its position (no nan)", compare=same_result,
              explain=named_mistake)
def far_centroid(rng):
    for n, d, k in ((4, 1, 2), (15, 2, 3), (40, 3, 4)):
        X = blobs(rng, n, d, k - 1)
        init = np.vstack([X[rng.choice(n, size=k - 1, replace=False)], np.full((1, d), 1e3)])
        for iters in (1, 100):
            yield Case(X, init[rng.permutation(k)], max_iters=iters)


@grader.cases("k = n with init = X: each point is its own centroid, inertia 0", compare=same_result,
              explain=named_mistake)
def k_equals_n(rng):
    for n, d in ((1, 1), (2, 3), (7, 2), (25, 4)):
        X = rng.normal(size=(n, d))
        yield Case(X, X.copy(), max_iters=int(rng.integers(0, 4)))


@grader.property("the labels are the nearest returned centroids, and the inertia is their sum of squares")
def self_consistent(ctx):
    for n, d, k, iters in ((50, 2, 4, 1), (200, 3, 6, 2), (500, 5, 8, 100)):
        X = blobs(ctx.rng, n, d, k)
        C, labels, inertia = ctx.attempt.kmeans(X.copy(), corner_init(ctx.rng, X, k), iters)
        C, labels = np.asarray(C, dtype=np.float64), np.asarray(labels)
        want, sq = nearest(X, C)
        shown = f"kmeans(X of shape {X.shape}, an init crowded in a corner, max_iters={iters})"
        bad = np.flatnonzero(labels != want)
        if bad.size:
            i = int(bad[0])
            raise Fail(f"point {i} got label {int(labels[i])}, but the nearest of your returned centroids is "
                       f"{int(want[i])} ({bad.size} of {n} points are not with their nearest returned centroid)",
                       case=shown)
        if not np.isclose(float(inertia), sq.sum(), rtol=1e-6, atol=1e-9):
            raise Fail("the inertia is not the sum of squared distances from each point to its returned centroid",
                       case=shown, expected=repr(float(sq.sum())), got=repr(float(inertia)))


@grader.property("the inertia never increases with max_iters (0 to 8)")
def monotone(ctx):
    X = blobs(ctx.rng, 120, 2, 5)
    init = corner_init(ctx.rng, X, 5)
    history = [float(ctx.attempt.kmeans(X.copy(), init.copy(), m)[2]) for m in range(9)]
    for m in range(8):
        if history[m + 1] > history[m] * (1 + 1e-9) + 1e-9:
            raise Fail(f"the inertia went up from {history[m]:.6g} (max_iters={m}) to {history[m + 1]:.6g} "
                       f"(max_iters={m + 1}); each Lloyd step can only lower it",
                       case="kmeans(X of shape (120, 2), an init crowded in a corner, max_iters=0..8)",
                       got=", ".join(f"{h:.6g}" for h in history))


grader.speed(lambda rng: Case(blobs(rng, 2000, 8, 8), blobs(rng, 8, 8, 8), max_iters=20),
             label="2000 points in 8-D, k = 8, 20 iterations")
