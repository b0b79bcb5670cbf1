import numpy as np

from harness.engine import Case, Fail, Grader, chi_square, close
from harness.engine.gen import schedule
from harness.engine.spy import Spy, compare_by, with_calls

grader = Grader("speculative_step")
ALPHA = 1e-8  # the section's threshold: a correct step fails a statistical check with p below 1e-8


# ------------------------------------------------------------------ running one step under a spy
def _answer(dist) -> int:
    """What the grader's `sample` returns: the most probable token (deterministic, and the same
    for the reference and the attempt whenever they pass the same distribution)."""
    return int(np.argmax(np.asarray(dist, dtype=np.float64)))


def run_spied(impl, case):
    spy = Spy(_answer, name="sample")
    return impl.speculative_step(*case.args, spy), spy


def same_tokens(expected, got):
    if not isinstance(got, list):
        raise Fail(f"expected a list of Python ints, got {type(got).__name__}", expected=repr(expected),
                   got=repr(got)[:300])
    for i, t in enumerate(got):
        if type(t) is not int:
            raise Fail(f"element {i} of the result is {type(t).__module__}.{type(t).__name__}, not a Python int "
                       "(convert with int(...))", expected=repr(expected), got=repr(got)[:300])
    if got != expected:
        raise Fail("wrong tokens", expected=repr(expected), got=repr(got))


compare = with_calls(same_tokens, same=compare_by(close(1e-9, 1e-12, kind="array", what="probabilities")),
                     message="sample must be called exactly once, with the distribution of the token it draws")


# ------------------------------------------------------------------ known mistakes, recognised by their output
def _mistaken(draft, q, p, u, *, inverted=False, strict=False, residual="p-q", normalise=True, shift=0,
              bonus=True):
    """One verification step with one classic mistake switched on: (tokens, argument of sample)."""
    K = len(draft)
    out = []
    for i, x in enumerate(int(t) for t in draft):
        target = p[min(i + shift, K)]
        with np.errstate(all="ignore"):
            ratio = q[i, x] / target[x] if inverted else target[x] / q[i, x]
        if (u[i] < ratio) if strict else (u[i] <= ratio):
            out.append(x)
            continue
        r = {"p-q": np.maximum(target - q[i], 0), "q-p": np.maximum(q[i] - target, 0), "p": target.copy()}[residual]
        if normalise and r.sum() > 0:
            r = r / r.sum()
        return out + [_answer(r)], r
    return (out + [_answer(p[K])], p[K]) if bonus else (out, None)


MISTAKES = {
    "after a rejection you sample from the target row p[i]; sample from the residual max(p[i] − q[i], 0), "
    "renormalised": dict(residual="p"),
    "the residual is not renormalised: divide max(p[i] − q[i], 0) by its sum": dict(normalise=False),
    "the residual is max(q − p, 0); it is max(p[i] − q[i], 0), the mass the draft under-proposed": dict(
        residual="q-p"),
    "the acceptance ratio is inverted (q/p); accept when u <= p[i, x] / q[i, x]": dict(inverted=True),
    "u == p/q is rejected: the test is u <= p[i, x] / q[i, x], not strict": dict(strict=True),
    "the target row is off by one: draft i is checked against p[i] (p[K] is only for the bonus token)": dict(
        shift=1),
    "no bonus token: when all K drafts are accepted, draw one more token from p[K]": dict(bonus=False),
}


def named_mistake(case, got):
    result, spy = got
    draft, q, p, u = case.args
    if spy.count > 1:
        return f"sample was called {spy.count} times in one step; call it once, for the one token you emit"
    right = _mistaken(draft, q, p, u)
    for message, switch in MISTAKES.items():
        tokens, arg = _mistaken(draft, q, p, u, **switch)
        if (tokens, _key(arg)) == (right[0], _key(right[1])):
            continue  # this case does not tell the mistake apart
        same_arg = (arg is None and spy.count == 0) or (spy.count == 1 and arg is not None and _close(
            spy.calls[0].args[0] if spy.calls[0].args else None, arg))
        if same_arg and result == tokens:
            return message
    return None


def _key(arg):
    return None if arg is None else tuple(np.round(arg, 12))


def _close(got, want) -> bool:
    try:
        return np.allclose(np.asarray(got, dtype=np.float64), want, rtol=1e-9, atol=1e-12)
    except (TypeError, ValueError):
        return False


# ------------------------------------------------------------------ cases
def dists(rng, rows, V, sparsity=0.0):
    """Rows of probabilities; with sparsity, about that fraction of each row is exactly 0."""
    d = rng.dirichlet(np.full(V, 0.7), size=rows)
    if sparsity:
        d[rng.random(d.shape) < sparsity] = 0.0
        empty = d.sum(1) == 0
        d[empty, rng.integers(0, V, int(empty.sum()))] = 1.0
        d /= d.sum(1, keepdims=True)
    return d


def random_case(rng, K, V):
    q = dists(rng, K, V, sparsity=float(rng.choice([0.0, 0.3, 0.6])))
    cdf = np.cumsum(q, axis=1)
    draft = (cdf > rng.random((K, 1)) * cdf[:, -1:]).argmax(axis=1)  # inverse CDF: token i ~ q[i]
    mix = rng.choice([0.0, 0.05, 0.3, 1.0], size=(K + 1, 1))   # targets near (0) to far (1) from the draft
    base = np.vstack([q, dists(rng, 1, V)])
    p = (1 - mix) * base + mix * dists(rng, K + 1, V, sparsity=float(rng.choice([0.0, 0.5])))
    p /= p.sum(1, keepdims=True)
    return Case(draft, q, p, rng.random(K))


def binary_case():
    """Quarter fractions: every ratio p/q is exact, so u can sit exactly on it or one ulp above."""
    q = np.array([[0.5, 0.25, 0.25], [0.25, 0.5, 0.25], [0.5, 0.5, 0.0]])
    p = np.array([[0.25, 0.5, 0.25], [0.125, 0.375, 0.5], [0.25, 0.25, 0.5], [0.0, 0.0, 1.0]])
    return q, p


def edge_cases():
    q, p = binary_case()
    up = lambda x: float(np.nextafter(x, 1.0))  # noqa: E731 - one ulp above
    yield Case(np.array([1, 1, 0]), q, p, np.array([0.3, 0.6, 0.4])).named("all accepted (ratios ≥ 1): bonus token")
    yield Case(np.array([0]), q[:1], p[:2], np.array([0.5])).named("u == p/q exactly: accepted")
    yield Case(np.array([0]), q[:1], p[:2], np.array([up(0.5)])).named(
        f"u = {up(0.5)!r}, one ulp above p/q = 0.5: rejected")
    yield Case(np.array([0, 1]), q[:2], p[:3], np.array([0.5, 0.75])).named("u == p/q at both positions")
    yield Case(np.array([0, 1]), q[:2], p[:3], np.array([0.25, up(0.75)])).named(
        f"u[1] = {up(0.75)!r}, one ulp above p/q = 0.75: rejected at position 1")
    yield Case(np.array([1, 0, 0]), q, p, np.array([0.99, up(0.5), 0.1])).named(
        f"u[1] = {up(0.5)!r}, one ulp above p/q = 0.5: stops at the first rejection")
    q0 = np.array([[0.25, 0.75], [0.5, 0.5]])
    p0 = np.array([[0.0, 1.0], [0.5, 0.5], [0.25, 0.75]])
    yield Case(np.array([0, 1]), q0, p0, np.array([0.5, 0.5])).named("p[i, x] = 0: rejected")
    yield Case(np.array([1, 0]), q0, p0, np.array([0.999, 0.999])).named("p/q > 1: accepted whatever u")


grader.cases("small steps: all accepted with the bonus token, u exactly p/q, one ulp above, p[i, x] = 0, "
             "p/q > 1, stopping at the first rejection", list(edge_cases()), call=run_spied, compare=compare,
             explain=named_mistake)


@grader.cases("exact tokens and the exact distribution passed to sample on 400 random steps (K 1 to 6, V 2 to "
              "50, sparse p and q)", call=run_spied, compare=compare, explain=named_mistake)
def random_steps(rng):
    for size in schedule(400, 50, 2):
        yield random_case(rng, int(rng.integers(1, min(6, size) + 1)), size)


# ------------------------------------------------------------------ statistics
def _sampler(rng):
    def sample(dist):
        cdf = np.cumsum(dist)
        return int(min(np.searchsorted(cdf, rng.random() * cdf[-1], side="right"), len(dist) - 1))

    return sample


def _emitted_follow_p(q, p, steps, label):
    def check(ctx):
        rng = ctx.rng
        K, V = q.shape
        sample = _sampler(rng)
        first, second = dict.fromkeys(range(V), 0), dict.fromkeys(range(V), 0)
        # Every step's drafts (drawn from q by inverse CDF) and uniforms, drawn up front.
        drafts = np.stack([np.searchsorted(np.cumsum(q[i]), rng.random(steps) * q[i].sum(), side="right")
                           for i in range(K)], axis=1)
        uniforms = rng.random((steps, K))
        # One copy per check, not per step (purity is graded on the exact cases).
        given_q, given_p = q.copy(), p.copy()
        for step in range(steps):
            out = ctx.attempt.speculative_step(drafts[step], given_q, given_p, uniforms[step], sample)
            if not isinstance(out, list) or not 1 <= len(out) <= K + 1 or not all(0 <= t < V for t in out):
                raise Fail(f"expected a list of 1 to K + 1 = {K + 1} tokens in [0, {V}), got {out!r}")
            first[int(out[0])] = first.get(int(out[0]), 0) + 1
            if len(out) > 1:
                second[int(out[1])] = second.get(int(out[1]), 0) + 1
        for which, counts, row in (("first", first, 0), ("second", second, 1)):
            n = sum(counts.values())
            stat, pval = chi_square(counts, dict(enumerate(p[row])))
            if pval < ALPHA:
                shown = ", ".join(f"{counts[t] / n:.3f}" for t in range(V))
                raise Fail(f"the {which} emitted token should follow p[{row}] whatever q, but it does not "
                           f"({label})", expected=f"frequencies {np.array2string(p[row], separator=', ')}",
                           got=f"[{shown}] over {n} steps",
                           diff=f"chi-square = {stat:.1f} with {V - 1} degrees of freedom, p = {pval:.2g} (a correct "
                                f"step fails this with probability below {ALPHA:g})")

    return check


STAT_Q = np.array([[0.4, 0.3, 0.2, 0.1], [0.1, 0.1, 0.1, 0.7], [0.25, 0.25, 0.25, 0.25]])
STAT_P = np.array([[0.1, 0.2, 0.3, 0.4], [0.4, 0.3, 0.2, 0.1], [0.25, 0.25, 0.25, 0.25], [0.7, 0.1, 0.1, 0.1]])
grader.property("statistics: the first emitted token follows p[0] and the second p[1], whatever q (20 000 "
                "seeded steps, K = 3, V = 4)")(_emitted_follow_p(STAT_Q, STAT_P, 20_000, "K = 3, V = 4"))

grader.speed(lambda rng: random_case(rng, 6, 50000), call=lambda impl, c: impl.speculative_step(*c.args, _answer),
             label="K = 6, V = 50 000")
