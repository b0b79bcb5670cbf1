"""The beam_search reference against exhaustive enumeration, greedy decoding and a plain-Python
transcription of the contract's rules (tuple sorts instead of numpy's stable argsort)."""
import itertools

import numpy as np
import pytest

from tests.helpers import load_solution

ref = load_solution("beam_search")


class Markov:
    def __init__(self, table):
        self.table = np.asarray(table, dtype=np.float64)
        self.calls = []

    def __call__(self, prefixes):
        self.calls.append([list(p) for p in prefixes])
        return np.array([self.table[p[-1]] for p in prefixes])


class PerPrefix:
    """An independent row for every whole prefix (binary fractions: exact sums, many ties)."""

    def __init__(self, V, seed, fractions=False):
        self.V, self.seed, self.fractions = V, seed, fractions

    def row(self, prefix):
        rng = np.random.default_rng([self.seed, *prefix])
        if self.fractions:
            return -rng.integers(0, 5, self.V) / 4.0
        return rng.normal(size=self.V) * 2.0

    def __call__(self, prefixes):
        return np.array([self.row(p) for p in prefixes])


def transcription(step_fn, bos, eos, W, max_len, lp):
    live, finished = [([bos], 0.0)], []
    for _ in range(max_len):
        k = W - len(finished)
        L = step_fn([p for p, _ in live])
        cands = [(s + float(L[b][w]), b, w) for b, (p, s) in enumerate(live) for w in range(len(L[b]))]
        cands.sort(key=lambda c: (-c[0], c[1], c[2]))
        new = []
        for score, b, w in cands[:k]:
            (finished if w == eos else new).append((live[b][0] + [w], score))
        live = new
        if not live:
            break
    hyps = [(p[1:], s / len(p[1:]) ** lp) for p, s in finished + live]
    return sorted(hyps, key=lambda h: (-h[1], h[0]))


def exhaustive(step_fn, bos, eos, V, max_len, lp):
    """Every complete sequence: ended by eos within max_len, or max_len tokens without eos."""
    out = []
    for n in range(1, max_len + 1):
        for body in itertools.product([t for t in range(V) if t != eos], repeat=n - 1):
            for last in range(V):
                seq = list(body) + [last]
                if last != eos and n < max_len:
                    continue
                score, prefix = 0.0, [bos]
                for t in seq:
                    score += float(step_fn([prefix])[0][t])
                    prefix = prefix + [t]
                out.append((seq, score / n ** lp))
    return sorted(out, key=lambda h: (-h[1], h[0]))


def same(a, b):
    assert [h[0] for h in a] == [h[0] for h in b]
    np.testing.assert_allclose([h[1] for h in a], [h[1] for h in b], rtol=1e-12, atol=1e-12)
    assert all(isinstance(t, int) for h in a for t in h[0]) and all(isinstance(h[1], float) for h in a)


@pytest.mark.parametrize("seed", range(30))
def test_against_the_transcription(seed):
    rng = np.random.default_rng(seed)
    V = int(rng.integers(2, 9))
    bos, eos = (int(x) for x in rng.choice(V, 2, replace=False))
    W, max_len = int(rng.integers(1, 7)), int(rng.integers(1, 7))
    lp = float(rng.choice([0.0, 0.5, 1.0, 2.0]))
    for lm in (Markov(np.log(rng.dirichlet(np.ones(V), size=V))), PerPrefix(V, seed),
               PerPrefix(V, seed, fractions=True), Markov(np.full((V, V), -0.5))):
        same(ref.beam_search(lm, bos, eos, W, max_len, lp), transcription(lm, bos, eos, W, max_len, lp))


@pytest.mark.parametrize("V,max_len", [(2, 1), (2, 3), (3, 2), (3, 3), (4, 2)])
@pytest.mark.parametrize("lp", [0.0, 1.0, 2.0])
def test_a_wide_beam_is_exhaustive(V, max_len, lp):
    rng = np.random.default_rng(V * 10 + max_len)
    lm = PerPrefix(V, V + max_len)
    total = sum((V - 1) ** (n - 1) for n in range(1, max_len + 1)) + (V - 1) ** max_len
    for W in (total, total + 3):
        same(ref.beam_search(lm, 0, 1, W, max_len, lp), exhaustive(lm, 0, 1, V, max_len, lp))
    del rng


@pytest.mark.parametrize("seed", range(10))
def test_width_one_is_greedy(seed):
    rng = np.random.default_rng(seed)
    V, max_len = 5, 6
    lm = PerPrefix(V, seed, fractions=True)  # many ties: the lowest id must win
    prefix, score = [0], 0.0
    for _ in range(max_len):
        row = lm([prefix])[0]
        w = int(np.argmax(row))
        prefix, score = prefix + [w], score + row[w]
        if w == 1:
            break
    assert ref.beam_search(lm, 0, 1, 1, max_len) == [(prefix[1:], score)]
    del rng


def test_shrinking_beam_calls_and_worked_example():
    # V = 3, bos 0, eos 2. Step 1: eos wins (-0.1); the beam shrinks to one live beam.
    table = np.log(np.array([[0.1, 0.3, 0.6], [0.5, 0.2, 0.3], [1 / 3, 1 / 3, 1 / 3]]))
    lm = Markov(table)
    out = ref.beam_search(lm, 0, 2, 2, 3)
    assert lm.calls == [[[0]], [[0, 1]], [[0, 1, 0]]]
    expected = [([2], np.log(0.6)), ([1, 0, 2], np.log(0.3 * 0.5 * 0.6))]
    same(out, [(t, float(s)) for t, s in expected])


def test_constant_rows_with_length_penalty_one_tie_everywhere():
    lm = Markov(np.full((3, 3), -0.75))
    out = ref.beam_search(lm, 0, 1, 4, 3, length_penalty=1.0)
    assert all(s == -0.75 for _, s in out)
    assert [t for t, _ in out] == sorted(t for t, _ in out)


def test_value_errors():
    with pytest.raises(ValueError):
        ref.beam_search(Markov(np.zeros((2, 2))), 0, 1, 0, 3)
    with pytest.raises(ValueError):
        ref.beam_search(Markov(np.zeros((2, 2))), 0, 1, 2, 0)
