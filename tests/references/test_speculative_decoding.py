"""The speculative_decoding reference: against a vectorised transcription in HF's style, an exact
computation of the emitted token's distribution (it must be p[i] whatever q), and a Monte Carlo
chi-square (scipy) on the first two emitted tokens."""
import numpy as np
import pytest
import scipy.stats

from tests.helpers import load_solution

ref = load_solution("speculative_decoding")


class Recorder:
    def __init__(self, answer=0):
        self.args, self.answer = [], answer

    def __call__(self, dist):
        self.args.append(np.array(dist, copy=True))
        return self.answer


def hf_style(draft, q, p, u):
    """Vectorised like transformers' _speculative_sampling: accept while u <= p/q (cumprod)."""
    K = len(draft)
    ratio = p[np.arange(K), draft] / q[np.arange(K), draft]
    n = int(np.cumprod(u <= ratio).sum())
    if n == K:
        return list(draft), p[K]
    r = np.clip(p[n] - q[n], 0, None)
    return list(draft[:n]), r / r.sum()


def random_case(rng, K, V):
    q = rng.dirichlet(np.ones(V) * 0.5, size=K)
    q[q < 0.05] = 0
    q /= q.sum(1, keepdims=True)
    p = rng.dirichlet(np.ones(V) * 0.5, size=K + 1)
    draft = np.array([rng.choice(V, p=row) for row in q])
    return draft, q, p, rng.random(K)


@pytest.mark.parametrize("seed", range(40))
def test_against_the_transcription(seed):
    rng = np.random.default_rng(seed)
    draft, q, p, u = random_case(rng, int(rng.integers(1, 7)), int(rng.integers(2, 51)))
    copies = [a.copy() for a in (draft, q, p, u)]
    rec = Recorder(answer=int(rng.integers(0, q.shape[1])))
    out = ref.speculative_step(draft, q, p, u, rec)
    tokens, dist = hf_style(draft, q, p, u)
    assert out == tokens + [rec.answer] and all(type(t) is int for t in out)
    assert len(rec.args) == 1
    np.testing.assert_allclose(rec.args[0], dist, rtol=1e-12, atol=1e-15)
    for before, after in zip(copies, (draft, q, p, u)):
        np.testing.assert_array_equal(before, after)


@pytest.mark.parametrize("seed", range(10))
def test_the_emitted_token_is_distributed_as_p_exactly(seed):
    """P(y) = Σ_x q(x) [a(x)·1{y = x} + (1 − a(x))·r_x(y)], with the acceptance threshold a(x)
    located by probing u at p/q and one ulp above, and r_x the distribution the reference
    passes to sample when it rejects x."""
    rng = np.random.default_rng(100 + seed)
    V = int(rng.integers(2, 9))
    q = rng.dirichlet(np.ones(V), size=1)
    p = rng.dirichlet(np.ones(V), size=2)
    emitted = np.zeros(V)
    for x in range(V):
        ratio = p[0, x] / q[0, x]
        if ratio < 1:
            assert ref.speculative_step(np.array([x]), q, p, np.array([ratio]), Recorder(99))[0] == x
            rec = Recorder(99)
            assert ref.speculative_step(np.array([x]), q, p, np.array([np.nextafter(ratio, 1)]), rec) == [99]
            emitted += q[0, x] * ((1 - ratio) * rec.args[0])
            emitted[x] += q[0, x] * ratio
        else:
            assert ref.speculative_step(np.array([x]), q, p, np.array([0.999999]), Recorder(99))[0] == x
            emitted[x] += q[0, x]
    np.testing.assert_allclose(emitted, p[0], rtol=1e-12, atol=1e-15)


def test_monte_carlo_first_and_second_tokens_follow_p():
    rng = np.random.default_rng(7)
    V, K, steps = 4, 2, 20000
    q = np.array([[0.4, 0.3, 0.2, 0.1], [0.1, 0.1, 0.1, 0.7]])
    p = np.array([[0.1, 0.2, 0.3, 0.4], [0.25, 0.25, 0.25, 0.25], [0.7, 0.1, 0.1, 0.1]])
    first, second = np.zeros(V), np.zeros(V)
    for _ in range(steps):
        draft = np.array([rng.choice(V, p=q[i]) for i in range(K)])
        out = ref.speculative_step(draft, q, p, rng.random(K), lambda d: int(rng.choice(V, p=d)))
        first[out[0]] += 1
        if len(out) > 1:
            second[out[1]] += 1
    assert scipy.stats.chisquare(first, p[0] * first.sum()).pvalue > 1e-6
    assert scipy.stats.chisquare(second, p[1] * second.sum()).pvalue > 1e-6


def test_boundaries():
    q = np.array([[0.5, 0.5], [0.25, 0.75]])
    p = np.array([[0.25, 0.75], [0.0, 1.0], [1.0, 0.0]])
    rec = Recorder(1)
    assert ref.speculative_step(np.array([0, 1]), q, p, np.array([0.5, 0.0]), rec) == [0, 1, 1]  # u == p/q
    np.testing.assert_array_equal(rec.args[0], p[2])                                             # bonus
    rec = Recorder(1)
    assert ref.speculative_step(np.array([0, 0]), q, p, np.array([np.nextafter(0.5, 1), 0.0]), rec) == [1]
    np.testing.assert_array_equal(rec.args[0], [0.0, 1.0])
    rec = Recorder(1)
    assert ref.speculative_step(np.array([1, 0]), q, p, np.array([0.99, 0.3]), rec) == [1, 1]  # p/q > 1; p = 0
    np.testing.assert_array_equal(rec.args[0], [0.0, 1.0])
