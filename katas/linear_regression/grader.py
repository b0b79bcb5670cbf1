import numpy as np

from harness.engine import Case, Grader, close
from harness.engine.compare import first_match, parts
from harness.engine.conditioning import assert_recovers, float_like, with_condition

grader = Grader("fit_linear_regression", forbidden=["sklearn"])
same_fit = parts({0: close(kind="array"), 1: float_like()}, {0: "w", 1: "b"})
COND = 1e10
COND_TEXT = "1e10"


def data(rng, n, d, *, means=50.0, noise=0.5):
    """y = X w + b + noise, the columns of X centred far from 0 (where centring matters)."""
    X = rng.normal(scale=rng.uniform(0.5, 3.0, size=d), size=(n, d)) + rng.uniform(-means, means, size=d)
    y = X @ rng.normal(size=d) + rng.normal(scale=10.0) + rng.normal(scale=noise, size=n)
    return X, y


def rank_deficient_data(rng, n, d):
    """n ≤ d: integer X whose column means are integers, so that centring is exact and the centred
    X (rank ≤ n − 1) has zero singular values that are zero, not rounding noise near the cut-off."""
    X = rng.integers(-9, 10, size=(n, d)) + rng.integers(-50, 51, size=d)
    X[-1] -= X.sum(axis=0) % n
    return X.astype(np.float64), rng.normal(scale=5.0, size=n)


def ridge(A, target, penalty):
    """argmin ‖A·c − target‖² + Σ penalty_i·c_i² (minimum norm when not unique), without forming AᵀA."""
    stacked = np.vstack([A, np.diag(np.sqrt(penalty))])
    return np.linalg.lstsq(stacked, np.concatenate([target, np.zeros(len(penalty))]), rcond=None)[0]


# Known wrong answers, one per named mistake; each returns (w, b).
def centred_fit(X, y, l2, fit_intercept):
    xm, ym = (X.mean(0), y.mean()) if fit_intercept else (np.zeros(X.shape[1]), 0.0)
    w = ridge(X - xm, y - ym, np.full(X.shape[1], l2))
    return w, (ym - xm @ w) if fit_intercept else 0.0


def ones_column_fit(X, y, l2, b_penalty):
    d = X.shape[1]
    coef = ridge(np.c_[X, np.ones(len(X))], y, np.r_[np.full(d, l2), b_penalty])
    return coef[:d], coef[d]


def raw_fit_then_means(X, y, l2):
    w = ridge(X, y, np.full(X.shape[1], l2))
    return w, y.mean() - X.mean(0) @ w


def named_mistake(case, got):
    X, y = case.args[:2]
    l2, fit = case.kwargs.get("l2", 0.0), case.kwargs.get("fit_intercept", True)
    try:
        flat = np.concatenate([np.ravel(got[0]), np.ravel(got[1])])
    except Exception:
        return None
    suspects = {}
    if l2 > 0:
        if fit:
            suspects["the intercept is penalised too (a ones column inside the ridge); b is never penalised"] = \
                ones_column_fit(X, y, l2, l2)
            suspects["the ridge was solved on uncentred X; with an intercept, centre X and y first "
                     "(b is not penalised)"] = raw_fit_then_means(X, y, l2)
        suspects["l2 was multiplied by n: the objective is a sum of squares, not a mean"] = \
            centred_fit(X, y, l2 * len(y), fit)
        suspects["l2 was divided by n: the objective is a sum of squares, not a mean"] = \
            centred_fit(X, y, l2 / len(y), fit)
    if fit:
        suspects["no intercept was fitted although fit_intercept=True"] = centred_fit(X, y, l2, False)
        suspects["lstsq on [X, 1] minimises the norm of (w, b) together; only w's norm is minimised "
                 "(b = ȳ − x̄·w)"] = ones_column_fit(X, y, l2, 0.0)
    else:
        suspects["an intercept was fitted although fit_intercept=False"] = centred_fit(X, y, l2, True)
    return first_match(flat, {k: np.concatenate([w, [b]]) for k, (w, b) in suspects.items()})


def cases_of(shapes, l2s, intercepts):
    def source(rng):
        for n, d in shapes:
            for l2 in l2s:
                for fit in intercepts:
                    X, y = data(rng, n, d)
                    yield Case(X, y, l2=l2, fit_intercept=fit)
    return source


grader.raises("a negative l2 raises ValueError", ValueError, [
    Case(np.array([[1.0], [2.0], [3.0]]), np.array([1.0, 2.0, 2.5]), l2=-1.0),
    Case(np.array([[1.0, 0.0], [0.0, 1.0], [1.0, 1.0]]), np.array([1.0, 2.0, 3.0]), l2=-1e-3, fit_intercept=False),
], why="l2 < 0")

grader.cases("least squares with an intercept, columns far from 0 (n > d)",
             cases_of([(3, 1), (6, 2), (20, 1), (50, 5), (200, 12)], [0.0], [True]),
             compare=same_fit, explain=named_mistake)

grader.cases("fit_intercept=False: b = 0.0 and the fit goes through the origin",
             cases_of([(4, 1), (20, 3), (50, 5)], [0.0, 1.0], [False]), compare=same_fit, explain=named_mistake)

grader.cases("ridge: only w is penalised, by l2 · ‖w‖² (l2 = 1e-3, 0.5, 1, 100)",
             cases_of([(5, 2), (50, 5), (200, 12)], [1e-3, 0.5, 1.0, 100.0], [True, False]),
             compare=same_fit, explain=named_mistake)


@grader.property(f"an ill-conditioned X (condition number {COND_TEXT}): w and b within 0.1% of the exact answer")
def ill_conditioned(ctx):
    rng = ctx.rng
    for fit in (True, False):
        for n, d in ((30, 4), (60, 8)):
            X = with_condition(rng, n, d, COND, centred=fit)
            if fit:
                X = X + rng.uniform(-3.0, 3.0, size=d)
            w_true, b_true = rng.normal(size=d), (float(rng.normal(scale=5.0)) if fit else 0.0)
            y = X @ w_true + b_true
            setting = (f"on X of shape {X.shape} (condition number {COND_TEXT}"
                       f"{' after centring' if fit else ''}) with y = X·w* + b* exactly, fit_intercept={fit},")

            def run(attempt):
                w, b = attempt.fit_linear_regression(X.copy(), y.copy(), 0.0, fit)
                return {"w": w, "b": b}

            assert_recovers(ctx, run, {"w": w_true, "b": b_true}, setting=setting, tol=1e-3,
                            scales={"b": (1.0 + abs(b_true), "1 + |b*|")},
                            cause="forming XᵀX (normal equations: inv, solve, Cholesky or pinv of XᵀX) squares "
                                  "the condition number; solve the least-squares problem on X itself")


@grader.cases("one sample: w = 0 and b = y[0] with an intercept", compare=same_fit, explain=named_mistake)
def one_sample(rng):
    for d in (1, 3):
        for l2 in (0.0, 1.0):
            for fit in (True, False):
                X, y = data(rng, 1, d)
                yield Case(X, y, l2=l2, fit_intercept=fit)


@grader.cases("several minimisers (n ≤ d, duplicate columns): the w of smallest norm", compare=same_fit,
              explain=named_mistake)
def min_norm(rng):
    for n, d in ((2, 2), (3, 3), (2, 7), (5, 12)):
        for fit in (True, False):
            X, y = rank_deficient_data(rng, n, d)
            yield Case(X, y, fit_intercept=fit)
    for n, d in ((6, 2), (50, 5)):
        for fit in (True, False):
            X, y = data(rng, n, d)
            X = np.c_[X, X[:, :1], X]  # duplicated columns share their weight equally
            yield Case(X, y, fit_intercept=fit).named("duplicate columns")
            yield Case(X, y, l2=0.5, fit_intercept=fit).named("duplicate columns, ridge")


grader.speed(lambda rng: Case(*data(rng, 5000, 50), l2=1.0), label="5000 × 50, ridge with an intercept")
