import math

import numpy as np

from harness.engine import Case, Fail, Grader, close
from harness.engine.compare import first_match, parts
from harness.engine.gen import schedule
from harness.engine.memory import MiB, assert_peak_below

grader = Grader("flash_attention", forbidden=["torch", "scipy"])
out_and_lse = parts({0: close(kind="array"), 1: close(kind="array")}, {0: "`out`", 1: "`lse`"})
BLOCKS = (1, 2, 5, 7, 16, 30, 64)


# ------------------------------------------------------------------ known mistakes, recognised by their output
def _mistaken(q, k, v, b, causal, *, rescale_acc=True, start_max=-np.inf, divide_by_partial=False,
              lse_with_max=True, drop_last=False, local_mask=False):
    """The streaming recurrence with one classic mistake switched on (a model of the wrong answer)."""
    n, m_keys = len(q), len(k)
    m, l, acc = np.full(n, start_max), np.zeros(n), np.zeros((n, v.shape[1]))
    stops = range(b, m_keys + 1, b) if drop_last else [min(s + b, m_keys) for s in range(0, m_keys, b)]
    with np.errstate(all="ignore"):
        for stop in stops:
            start = stop - b if drop_last else (stop - 1) // b * b
            s = q @ k[start:stop].T / math.sqrt(q.shape[1])
            if causal:
                keys = np.arange(stop - start) if local_mask else np.arange(start, stop)
                s = np.where(keys[None, :] <= np.arange(n)[:, None], s, -np.inf)
            new = np.maximum(m, s.max(1))
            alpha, p = np.exp(m - new), np.exp(s - new[:, None])
            l_new = alpha * l + p.sum(1)
            if divide_by_partial:
                acc = acc + (p @ v[start:stop]) / l_new[:, None]
            else:
                acc = (alpha[:, None] if rescale_acc else 1.0) * acc + p @ v[start:stop]
            m, l = new, l_new
        out = acc if divide_by_partial else acc / l[:, None]
        return out, (m + np.log(l)) if lse_with_max else np.log(l)


MISTAKES = {
    "the accumulator of Σ exp(s − m)·v is not rescaled by exp(m_old − m_new) when the running maximum grows":
        dict(rescale_acc=False),
    "the running maximum starts at 0 instead of −inf: rows whose scores are all far below 0 underflow to "
    "0/0 = nan": dict(start_max=0.0),
    "each block's contribution is divided by the partial sum so far and never corrected when later blocks "
    "add to it (divide once, by the final sum, or rescale the earlier part)": dict(divide_by_partial=True),
    "lse is missing the running maximum: log Σ exp(s − m) is lse − m; add m back": dict(lse_with_max=False),
    "the last, shorter block is dropped when block_size does not divide M": dict(drop_last=True),
    "the causal mask compares the query index with the key's index inside its block; use the key's "
    "global index (block start + local index)": dict(local_mask=True),
}


def named_mistake(case, got):
    if not (isinstance(got, tuple) and len(got) == 2):
        return None
    q, k, v = case.args
    b, causal = case.kwargs.get("block_size", 64), case.kwargs.get("causal", False)
    for message, switch in MISTAKES.items():
        wrong = _mistaken(q, k, v, b, causal, **switch)
        if all(first_match(g, {message: w}) for g, w in zip(got, wrong)):
            return message
    return None


# ------------------------------------------------------------------ cases
def qkv(rng, n, m, d, dv):
    return rng.standard_normal((n, d)), rng.standard_normal((m, d)), rng.standard_normal((m, dv))


def tiny(causal):
    """Hand-sized first cases: the score of each later key is larger (the maximum grows every
    block) and block_size 2 does not divide M = 3."""
    q, k, v = np.array([[1.0], [0.5], [-1.0]]), np.array([[0.0], [1.0], [2.0]]), np.array([[1.0], [2.0], [4.0]])
    for b in (1, 2):
        yield Case(q[:1] if not causal else q, k, v, block_size=b, causal=causal)


def shapes(rng, count, causal):
    yield from tiny(causal)
    for i, size in enumerate(schedule(count, 300)):
        n = int(rng.integers(1, size + 1))
        m = n if causal else int(rng.integers(1, size + 1))
        d, dv = int(rng.integers(1, 65)), int(rng.integers(1, 17))
        block = BLOCKS[i % len(BLOCKS)] if i % (len(BLOCKS) + 1) else m + int(rng.integers(1, 10))
        yield Case(*qkv(rng, n, m, d, dv), block_size=block, causal=causal)


grader.cases("agrees with full softmax attention: random N, M, d, dv and block sizes (also > M and not "
             "dividing M)", lambda rng: shapes(rng, 40, False), compare=out_and_lse, explain=named_mistake)
grader.cases("causal (N = M): query i attends to keys 0 … i, whatever the block size",
             lambda rng: shapes(rng, 32, True), compare=out_and_lse, explain=named_mistake)


@grader.property("results do not depend on block_size (to 1e-9)")
def block_invariance(ctx):
    same = parts({0: close(1e-9, 1e-9, kind="array"), 1: close(1e-9, 1e-9, kind="array")},
                 {0: "`out`", 1: "`lse`"})
    for n, m, causal in ((37, 53, False), (61, 61, True), (130, 130, True)):
        q, k, v = qkv(ctx.rng, n, m, 8, 4)
        base = ctx.attempt.flash_attention(q.copy(), k.copy(), v.copy(), block_size=m, causal=causal)
        for b in BLOCKS:
            got = ctx.attempt.flash_attention(q.copy(), k.copy(), v.copy(), block_size=b, causal=causal)
            try:
                same(base, got)
            except Fail as fail:
                fail.message = (f"block_size={b} gave another result than one block of all {m} keys "
                                f"(block_size={m}): {fail.message}")
                fail.case = f"flash_attention(q {q.shape}, k {k.shape}, v {v.shape}, causal={causal})"
                raise


def _direction(rng, d):
    u = rng.standard_normal(d)
    return u / np.linalg.norm(u)


@grader.cases("scores around −1e3 and +1e3 (and rows far below, near −1e5) in one call, causal too: no "
              "overflow, nan or inf", compare=out_and_lse, explain=named_mistake)
def extremes(rng):
    # Keys cluster around one direction u; queries point along ±u: rows of scores near +1e3,
    # rows entirely near −1e3 and rows entirely near −1e5 (a spread of a few units keeps each
    # softmax non-trivial).
    for n, m, d, b in ((2, 3, 1, 2), (3, 3, 2, 2), (6, 40, 4, 7), (16, 16, 8, 5), (16, 100, 8, 16)):
        u = _direction(rng, d)
        k = u + 0.002 * rng.standard_normal((m, d))
        level = np.array([-1e3, 1e3, -1e5])[np.arange(n) % 3][:, None]
        q = level * u * math.sqrt(d) + rng.standard_normal((n, d)) * np.abs(level) / 1e3
        yield Case(q, k, rng.standard_normal((m, 3)), block_size=b, causal=n == m)


@grader.cases("a maximum that jumps by ~1e3 in the last block is absorbed (no overflow, nan or inf)",
              compare=out_and_lse, explain=named_mistake)
def late_jump(rng):
    for n, m, d, b in ((1, 3, 2, 2), (3, 10, 4, 4), (8, 33, 8, 16), (20, 130, 16, 64)):
        u = _direction(rng, d)
        q = u + 0.1 * rng.standard_normal((n, d))          # q·u close to 1 for every query
        k = rng.standard_normal((m, d)) * 0.5
        k[-1] = u * 1000 * math.sqrt(d)                     # the last key scores ~1e3 for every query
        yield Case(q, k, rng.standard_normal((m, 4)), block_size=b)


# ------------------------------------------------------------------ memory
BIG = 4096
SCORE_MATRIX = BIG * BIG * 8  # 128 MiB


@grader.property(f"N = M = {BIG}, d = dv = 64: peak memory during the call under 32 MiB (causal False "
                 "and True)")
def memory(ctx):
    q, k, v = qkv(ctx.rng, BIG, BIG, 64, 64)
    rows = np.sort(ctx.rng.choice(BIG, 48, replace=False))
    for causal in (False, True):
        case = f"flash_attention(q (4096, 64), k (4096, 64), v (4096, 64), causal={causal})"
        got = assert_peak_below(lambda: ctx.attempt.flash_attention(q, k, v, causal=causal), 32 * MiB, case=case,
                                causes=[(SCORE_MATRIX * 15 // 16,
                                         "as much as an N × M score matrix (4096 × 4096 float64 = 128 MiB) was "
                                         "held at once: the full score matrix, or every score block kept; keep "
                                         "one (N, block_size) block and running statistics per row")])
        s = q[rows] @ k.T / 8.0
        if causal:
            s = np.where(np.arange(BIG)[None, :] <= rows[:, None], s, -np.inf)
        top = s.max(1, keepdims=True)
        w = np.exp(s - top)
        expected = ((w @ v) / w.sum(1, keepdims=True), top[:, 0] + np.log(w.sum(1)))
        if not (isinstance(got, tuple) and len(got) == 2 and all(hasattr(g, "shape") for g in got)):
            raise Fail("expected a tuple (out, lse) of numpy arrays", case=case)
        if got[0].shape != (BIG, 64) or got[1].shape != (BIG,):
            raise Fail(f"wrong shapes: expected out (4096, 64) and lse (4096,), got {got[0].shape} and "
                       f"{got[1].shape}", case=case)
        try:
            out_and_lse(expected, (got[0][rows], got[1][rows]))
        except Fail as fail:
            fail.message = f"rows {rows[:4].tolist()}… of the large case: {fail.message}"
            fail.case = case
            raise


grader.speed(lambda rng: Case(*qkv(rng, 512, 512, 64, 64)), label="N = M = 512, d = dv = 64")
