import numpy as np

from harness.engine import Case, Fail, Grader, close
from harness.engine.compare import first_match, parts
from harness.engine.conditioning import orthonormal_columns, signed_row_match

grader = Grader("pca", forbidden=["sklearn", "torch.pca_lowrank", "*.pca_lowrank"])
PARTS = ("components", "explained_variance", "X_reduced")
same_pca = parts({i: close(kind="array") for i in range(3)}, {i: f"`{name}`" for i, name in enumerate(PARTS)})


def data(rng, n, d, rank=None, mean=100.0, top=10.0):
    """Centred data with known singular values top·0.75^i (no ties), whose principal axes have one
    clearly largest entry (the sign rule is never decided by rounding), plus column means of size `mean`."""
    r = min(n - 1, d) if rank is None else rank
    while True:
        # signed unit vectors plus noise, orthonormalised: random axes that each lean on one feature
        lean = np.zeros((r, d))
        lean[np.arange(r), rng.permutation(d)[:r]] = rng.choice([-2.0, 2.0], size=r)
        axes = np.linalg.qr((lean + rng.normal(scale=1.5 / np.sqrt(d), size=(r, d))).T)[0].T
        mags = np.sort(np.abs(axes), axis=1)
        if d == 1 or (mags[:, -1] - mags[:, -2] > 0.05).all():
            break
    Xc = (orthonormal_columns(rng, n, r, centred=True) * (top * 0.75 ** np.arange(r))) @ axes
    return Xc + mean * rng.uniform(-1.0, 1.0, size=d)


def largest_entry_positive(comps, pick=None):
    """Flip each row so that `pick` (default: the row's entry of largest absolute value) is positive."""
    if pick is None:
        pick = comps[np.arange(len(comps)), np.argmax(np.abs(comps), axis=1)]
    return comps * np.where(pick < 0, -1.0, 1.0)[:, None]


def reference_parts(X, k, *, centre=True, ddof=1, sign="max"):
    """PCA with one named mistake switched on; every part recomputed from the mistaken axes."""
    Xc = X - X.mean(axis=0) if centre else X
    U, s, Vt = np.linalg.svd(Xc, full_matrices=False)
    comps = Vt[:k]
    if sign == "first":
        comps = largest_entry_positive(comps, comps[:, 0])
    elif sign == "u":  # sklearn < 1.5: the largest entry of each column of U positive
        comps = largest_entry_positive(comps, U[np.argmax(np.abs(U[:, :k]), axis=0), np.arange(k)])
    else:
        comps = largest_entry_positive(comps)
    return comps, s[:k] ** 2 / (len(X) - ddof), (X - X.mean(axis=0)) @ comps.T


def clear_u_rule(X, k):
    """Whether the old U-based sign rule is well defined here: each of U's first k columns has one
    clearly largest entry (with n = 2 both entries of a centred column tie)."""
    U = np.linalg.svd(X - X.mean(axis=0), full_matrices=False)[0][:, :k]
    mags = np.sort(np.abs(U), axis=0)
    return len(U) > 1 and bool((mags[-1] - mags[-2] > 1e-6).all())


def sample_covariance_pca(X, k):
    """The axes of np.cov(X) (rows as variables), sorted and signed by the contract's rules."""
    values, vectors = np.linalg.eigh(np.cov(X))
    comps = largest_entry_positive(vectors[:, ::-1][:, :k].T)
    return comps, values[::-1][:k], (X - X.mean(axis=0)) @ comps.T


def flat(result):
    return np.concatenate([np.ravel(np.asarray(part, dtype=np.float64)) for part in result])


def named_mistake(case, got):
    X, k = case.args
    n, d = X.shape
    try:
        comps = np.asarray(got[0], dtype=np.float64)
        whole = flat(got)
    except Exception:
        return None
    if comps.shape == (k, n) and n != d:
        return ("the components have length n, not d: the covariance was taken between samples "
                "(np.cov treats rows as variables unless rowvar=False)")
    want = reference_parts(X, k)
    match = signed_row_match(want[0], comps, rtol=1e-6, atol=1e-9)
    if match is not None and [j for j, _ in match] != list(range(k)):
        return "the components are not sorted by decreasing variance (eigh returns eigenvalues in ascending order)"
    suspects = {
        "the data was not centred (subtract each column's mean first)": flat(reference_parts(X, k, centre=False)),
        "the variance divides by n; explained_variance uses n − 1": flat(reference_parts(X, k, ddof=0)),
        "each component's *first* entry was made positive; the rule is its entry of largest absolute value":
            flat(reference_parts(X, k, sign="first")),
        "X_reduced projects the uncentred X; project the centred data":
            np.concatenate([flat(want[:2]), (X @ want[0].T).ravel()]),
    }
    if clear_u_rule(X, k):
        suspects["the sign follows the old sklearn rule (largest entry of U's column positive); the rule is "
                 "each component's own entry of largest absolute value"] = flat(reference_parts(X, k, sign="u"))
    if n == d:
        suspects["the covariance was taken between samples (np.cov treats rows as variables unless "
                 "rowvar=False)"] = flat(sample_covariance_pca(X, k))
    named = first_match(whole, suspects)
    if named:
        return named
    if match is not None and any(sign < 0 for _, sign in match):
        flipped = [i for i, (_, sign) in enumerate(match) if sign < 0]
        return (f"component(s) {flipped} point the opposite way: make each row's entry of largest "
                "absolute value positive")
    return None


def cases_for(shapes, means=(0.0, 100.0, 1e3)):
    def source(rng):
        for n, d in shapes:
            rank = min(n - 1, d)
            for k in sorted({1, min(2, rank), max(1, rank // 2), rank}):
                yield Case(data(rng, n, d, mean=float(rng.choice(means))), k)
    return source


grader.raises("k = 0, k < 0 and k > min(n, d) raise ValueError", ValueError, [
    Case(np.array([[1.0, 2.0], [3.0, 5.0], [4.0, 1.0]]), 0),
    Case(np.array([[1.0, 2.0], [3.0, 5.0], [4.0, 1.0]]), 3),
    Case(np.array([[1.0, 2.0, 0.0], [3.0, 5.0, 1.0]]), 3),
    Case(np.array([[1.0, 2.0], [3.0, 5.0], [4.0, 1.0]]), -1),
], why="k must be in [1, min(n, d)]")

grader.cases("n = d: top-k axes, variances and projections (k = 1, 2, middle, rank; means 0 to 1e3)",
             cases_for([(2, 2), (5, 5), (9, 9)]), compare=same_pca, explain=named_mistake)

grader.cases("n > d, from a single feature to 200 × 10",
             cases_for([(3, 1), (6, 2), (12, 4), (40, 6), (200, 10)]), compare=same_pca, explain=named_mistake)

grader.cases("n < d: as many axes as the centred data has (k up to n − 1)",
             cases_for([(3, 5), (4, 9), (8, 20)]), compare=same_pca, explain=named_mistake)



def nonzero_variance_only(expected, got):
    """k above the rank: the trailing zero-variance axes are arbitrary, so only shapes are held for
    them; the leading ones (variance above 1e-12 of the largest) are compared."""
    if isinstance(got, tuple) and len(got) == 3:
        for name, e, g in zip(PARTS, expected, got):
            if np.shape(g) != e.shape:
                raise Fail(f"`{name}`: wrong shape: expected {e.shape}, got {np.shape(g)}")
    else:
        same_pca(expected, got)  # reports the type or length of the result
    r = int((expected[1] > 1e-12 * expected[1][0]).sum())
    same_pca((expected[0][:r], expected[1][:r], expected[2][:, :r]),
             tuple(np.asarray(g)[:r] if i < 2 else np.asarray(g)[:, :r] for i, g in enumerate(got)))


@grader.cases("k = min(n, d) above the rank is accepted; its non-zero-variance axes are right",
              compare=nonzero_variance_only, explain=named_mistake)
def above_rank(rng):
    for n, d, rank in ((2, 3, 1), (4, 4, 3), (5, 8, 4), (30, 6, 3), (50, 8, 5)):
        yield Case(data(rng, n, d, rank=rank, mean=float(rng.choice([0.0, 100.0]))), min(n, d))


grader.speed(lambda rng: Case(data(rng, 2000, 100, rank=60), 10), label="2000 × 100, k = 10")
