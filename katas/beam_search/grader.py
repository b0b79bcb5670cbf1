import math

import numpy as np

from harness.engine import Case, Fail, Grader
from harness.engine.gen import schedule
from harness.engine.spy import Spy, with_calls

grader = Grader("beam_search")
PENALTIES = (0.0, 0.5, 1.0, 2.0)


# ------------------------------------------------------------------ toy language models
class ToyLM:
    """A deterministic next-token scorer; its repr is what a failure report shows."""

    def __init__(self, kind: str, V: int, seed: int = 0, table=None):
        self.kind, self.V, self.seed = kind, V, seed
        self.table = None if table is None else np.asarray(table, dtype=np.float64)

    def row(self, prefix) -> np.ndarray:
        prefix = [int(t) for t in prefix]
        if self.table is not None:                       # Markov: the row of the last token
            return self.table[prefix[-1]].copy()
        rng = np.random.default_rng([self.seed, *prefix])  # an independent row per whole prefix
        if self.kind == "fractions":
            return -rng.integers(0, 5, self.V) / 4.0       # exact sums, many exact ties
        return np.log(rng.dirichlet(np.ones(self.V)))

    def __call__(self, prefixes):
        return np.array([self.row(p) for p in prefixes], dtype=np.float64)

    def __repr__(self):
        if self.table is not None:
            rows = np.array2string(self.table, precision=4, separator=", ", threshold=80)
            return f"<{self.kind} LM, V={self.V}: row t = log-probs after token t: {rows}>"
        what = "rows of quarter fractions in [-1, 0]" if self.kind == "fractions" else "log-softmax rows"
        return f"<LM with an independent random row per whole prefix ({what}), V={self.V}, seed={self.seed}>"


def markov(rng, V):
    return ToyLM("Markov", V, table=np.log(rng.dirichlet(np.ones(V) * 0.7, size=V)))


def constant(V, value=-0.75):
    return ToyLM("constant", V, table=np.full((V, V), value))


# ------------------------------------------------------------------ comparing results
def same_prefixes(expected, got):
    """step_fn's argument: a list of prefixes (any sequence of int sequences is accepted)."""
    try:
        as_lists = [[int(t) for t in p] for p in got]
    except (TypeError, ValueError):
        return f"expected a list of prefixes such as {expected}, got {got!r}"
    return None if as_lists == expected else f"expected {expected}, got {as_lists}"


def _hyp_text(h):
    return f"{h[0]} with score {h[1]!r}"


def same_hypotheses(expected, got):
    if not isinstance(got, list):
        raise Fail(f"expected a list of (tokens, score) tuples, got {type(got).__name__}", got=repr(got)[:300])
    shown = lambda hs: "[" + ", ".join(f"({h[0]}, {h[1]:.6g})" for h in hs) + "]"  # noqa: E731
    full = dict(expected=shown(expected), got=repr(got)[:400])
    for i, e in enumerate(expected):
        if i >= len(got):
            raise Fail(f"{len(got)} hypotheses returned, expected {len(expected)}; missing: {_hyp_text(e)}", **full)
        g = got[i]
        ok = isinstance(g, (tuple, list)) and len(g) == 2 and isinstance(g[0], (list, tuple))
        if not ok or not all(isinstance(t, (int, np.integer)) for t in g[0]) or \
                not isinstance(g[1], (float, np.floating, int)):
            raise Fail(f"hypothesis {i + 1} should be (list of token ids, float score), got {g!r}", **full)
        tokens = [int(t) for t in g[0]]
        if tokens != e[0]:
            raise Fail(f"hypothesis {i + 1}: expected tokens {e[0]}, got {tokens}", **full)
        if not math.isclose(float(g[1]), e[1], rel_tol=1e-9, abs_tol=1e-12) and not float(g[1]) == e[1]:
            raise Fail(f"hypothesis {i + 1} ({e[0]}): expected score {e[1]!r}, got {float(g[1])!r}", **full)
    if len(got) > len(expected):
        raise Fail(f"{len(got)} hypotheses returned, expected {len(expected)}; extra: {got[len(expected)]!r}", **full)


def run_spied(impl, case):
    spy = Spy(case.args[0], name="step_fn")
    return impl.beam_search(spy, *case.args[1:], **case.kwargs), spy


compare = with_calls(same_hypotheses, same=same_prefixes,
                     message="step_fn must be called once per step with exactly the prefixes of the live beams")


# ------------------------------------------------------------------ known mistakes, recognised by their output
def _mistaken(lm, bos, eos, W, max_len, lp, *, per_beam=False, reversed_ties=False, keep_live=True,
              tie_by_tokens=True, n_extra=0, eos_uncounted=False, refill=False):
    """The search with one classic mistake switched on (a model of a wrong answer)."""
    live, finished = [([bos], 0.0)], []
    for step in range(max_len):
        k = W if refill else W - len(finished)
        L = lm([p for p, _ in live])
        scores = np.array([s for _, s in live])[:, None] + L
        if per_beam and step > 0:   # every beam follows its own best token
            ranked = [b * L.shape[1] + int(np.argmax(L[b])) for b in range(len(live))][:k]
        elif reversed_ties:
            ranked = np.argsort(scores, axis=None, kind="stable")[::-1][:k]
        else:
            ranked = np.argsort(-scores, axis=None, kind="stable")[:k]
        new = []
        for flat in ranked:
            b, w = divmod(int(flat), L.shape[1])
            (finished if w == eos else new).append((live[b][0] + [w], float(scores[b, w])))
        live = new
        if not live:
            break
    hyps = []
    for p, s in finished + (live if keep_live else []):
        n = len(p) - 1 + n_extra - (1 if eos_uncounted and p[-1] == eos else 0)
        hyps.append((p[1:], s / n ** lp if n > 0 else s))
    return sorted(hyps, key=(lambda h: (-h[1], h[0])) if tie_by_tokens else (lambda h: -h[1]))


MISTAKES = {
    "each live beam follows its own best tokens; rank the candidates of all live beams × vocabulary "
    "together and keep the best k of them": dict(per_beam=True),
    "ties are ranked in reverse (as argsort(...)[::-1] does); equal scores go to the lower live index, "
    "then the lower token id": dict(reversed_ties=True),
    "the beam is refilled to beam_width after a hypothesis finishes (Hugging Face style); here it shrinks "
    "by one for each finished hypothesis, so there are at most beam_width hypotheses in all": dict(refill=True),
    "the beams still live after max_len steps are dropped; they are hypotheses too": dict(keep_live=False),
    "hypotheses with equal penalised scores are left in finishing order; order ties by the token list": dict(
        tie_by_tokens=False),
    "the length penalty counts bos; n is the number of generated tokens (eos included, bos not)": dict(n_extra=1),
    "the length penalty does not count eos; n is the number of generated tokens, eos included": dict(
        eos_uncounted=True),
}


def named_mistake(case, got):
    result, spy = got
    lm, bos, eos, W, max_len = case.args
    lp = case.kwargs.get("length_penalty", 0.0)
    try:
        calls = [[[int(t) for t in p] for p in prefixes] for prefixes in spy.args(0)]
    except (TypeError, ValueError):
        return None
    for i, prefixes in enumerate(calls):
        ended = [p for p in prefixes if len(p) > 1 and p[-1] == eos]
        if ended:
            return (f"call {i + 1} of step_fn was given the finished prefix {ended[0]}: a hypothesis that ends "
                    "with eos leaves the beam and is never expanded")
    right = Spy(lm, name="step_fn")
    correct = _mistaken(right, bos, eos, W, max_len, lp)
    if len(calls) > right.count and all(len(c) == 1 for c in calls) and any(len(c) > 1 for c in right.args(0)):
        return ("step_fn is called once per prefix; call it once per step with the prefixes of all live beams "
                "(one batched call)")
    for i, (want, have) in enumerate(zip(right.args(0), calls)):
        if want != have:
            if len(have) > len(want) and len(want) < W:
                return (f"call {i + 1} of step_fn got {len(have)} live prefixes where {len(want)} remain: the beam "
                        "was refilled after a hypothesis finished; it shrinks by one for each finished hypothesis")
            break
    for message, switch in MISTAKES.items():
        wrong = _mistaken(lm, bos, eos, W, max_len, lp, **switch)
        if _equal(wrong, result) and not _equal(wrong, correct):  # this case tells the mistake apart
            return message
    return None


def _equal(expected, got) -> bool:
    try:
        same_hypotheses(expected, got)
    except Fail:
        return False
    return True


# ------------------------------------------------------------------ cases
def draw(rng, V, *, kinds=("Markov", "random", "fractions", "constant")):
    kind = kinds[int(rng.integers(len(kinds)))]
    if kind == "Markov":
        return markov(rng, V)
    if kind == "constant":
        return constant(V, -float(rng.integers(1, 4)) / 4)
    return ToyLM(kind, V, seed=int(rng.integers(1 << 30)))


def random_cases(rng, count):
    for size in schedule(count, 6):
        V = int(rng.integers(2, min(8, 2 + size) + 1))
        bos, eos = (int(x) for x in rng.choice(V, 2, replace=False))
        W, max_len = int(rng.integers(1, size + 1)), int(rng.integers(1, size + 1))
        yield Case(draw(rng, V), bos, eos, W, max_len, length_penalty=float(rng.choice(PENALTIES)))


grader.raises("beam_width < 1 or max_len < 1 raises ValueError", ValueError, [
    Case(constant(2), 0, 1, 0, 3), Case(constant(3), 0, 1, 2, 0), Case(constant(3), 0, 1, -1, 2),
    Case(constant(3), 0, 1, 3, -2),
], why="beam_width < 1 or max_len < 1")


@grader.cases("beam_width = 1 is greedy decoding (argmax, lowest id on ties, stop at eos)", call=run_spied,
              compare=compare, explain=named_mistake)
def greedy(rng):
    for size in schedule(12, 6):
        V = int(rng.integers(2, size + 3))
        yield Case(draw(rng, V, kinds=("fractions", "Markov", "random")), 0, 1, 1, size,
                   length_penalty=float(rng.choice(PENALTIES)))


grader.cases("small searches: eos winning at step 1, max_len = 1, V < beam_width, finished hypotheses "
             "shrink the beam", [
                 Case(ToyLM("Markov", 3, table=np.log([[0.1, 0.3, 0.6], [0.5, 0.2, 0.3], [0.2, 0.3, 0.5]])),
                      0, 2, 2, 3),
                 Case(ToyLM("Markov", 2, table=np.log([[0.3, 0.7], [0.6, 0.4]])), 0, 1, 1, 3),
                 Case(ToyLM("Markov", 3, table=np.log([[0.2, 0.5, 0.3], [0.1, 0.6, 0.3], [0.3, 0.3, 0.4]])),
                      0, 1, 2, 1),
                 Case(ToyLM("Markov", 3, table=np.log([[0.2, 0.5, 0.3], [0.1, 0.6, 0.3], [0.3, 0.3, 0.4]])),
                      0, 1, 5, 2, length_penalty=1.0),
                 Case(ToyLM("Markov", 2, table=np.log([[0.25, 0.75], [0.5, 0.5]])), 1, 0, 4, 3,
                      length_penalty=0.5),
                 Case(constant(3, -0.5), 0, 2, 3, 3, length_penalty=1.0).named("every hypothesis ties"),
             ], call=run_spied, compare=compare, explain=named_mistake)

grader.cases("agrees with the rules on random toy LMs: Markov tables, a random row per prefix, exact "
             "binary-fraction ties, constant rows; every length_penalty",
             lambda rng: random_cases(rng, 80), call=run_spied, compare=compare, explain=named_mistake)


@grader.cases("a beam as wide as the number of complete sequences finds them all (exhaustive search)",
              call=run_spied, compare=compare, explain=named_mistake)
def exhaustive(rng):
    for V, max_len in ((2, 1), (2, 3), (3, 2), (4, 2), (3, 3)):
        total = sum((V - 1) ** (n - 1) for n in range(1, max_len + 1)) + (V - 1) ** max_len
        for lp in (0.0, 1.0):
            yield Case(ToyLM("random", V, seed=int(rng.integers(1 << 30))), 0, V - 1, total, max_len,
                       length_penalty=lp)


grader.speed(lambda rng: Case(ToyLM("random", 50, seed=1), 0, 1, 8, 20), call=lambda impl, c: impl.beam_search(
    *c.args, **c.kwargs), label="V = 50, beam_width = 8, max_len = 20")
